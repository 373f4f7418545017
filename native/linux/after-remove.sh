#!/bin/bash
# Kasa deb post-removal (electron-builder.yml deb.afterRemove). electron-builder fills in the
# executable and product name placeholders below; this script replaces its default one, so the default
# steps (command link, AppArmor profile) come first, then what after-install.sh added for devices.

# Delete the link to the binary
# update-alternatives --remove <name> <path>: 'path' must be the registered alternative binary,
# not the generic symlink — see https://man7.org/linux/man-pages/man1/update-alternatives.1.html
if type update-alternatives >/dev/null 2>&1; then
    update-alternatives --remove '${executable}' '/opt/${sanitizedProductName}/${executable}'
else
    rm -f '/usr/bin/${executable}'
fi

APPARMOR_PROFILE_DEST='/etc/apparmor.d/${executable}'

# Remove and unload apparmor profile.
if [ -f "$APPARMOR_PROFILE_DEST" ]; then
  # Unload the profile from the running kernel before deleting the file so the
  # policy is not left enforced until the next reboot.  Mirror the chroot guard
  # used in the after-install script — live AppArmor operations are not
  # meaningful inside a chroot.
  # https://wiki.debian.org/AppArmor/HowToUse
  if apparmor_status --enabled > /dev/null 2>&1; then
    if ! { [ -x '/usr/bin/ischroot' ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
      apparmor_parser --remove "$APPARMOR_PROFILE_DEST" || true
    fi
  fi
  rm -f "$APPARMOR_PROFILE_DEST"
fi

# --- Kasa: scanners and card readers (docs/devices.md) ---------------------------------------------
# The udev rules and their helper are written by after-install.sh, so dpkg does not know them: removed
# here when the package is removed or purged, not on an upgrade (the new version's post-install writes
# them again). DPKG_ROOT is dpkg's own prefix for an installation into another root.
case "$1" in
  remove | purge)
    rm -f "$DPKG_ROOT/etc/udev/rules.d/70-kasa-devices.rules" "$DPKG_ROOT/usr/lib/kasa/kasa-hid-usage-page"
    rmdir "$DPKG_ROOT/usr/lib/kasa" 2>/dev/null
    if [ -z "$DPKG_ROOT" ] && command -v udevadm >/dev/null 2>&1; then
      udevadm control --reload-rules || true
    fi
    ;;
esac

exit 0
