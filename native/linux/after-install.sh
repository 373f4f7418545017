#!/bin/bash
# Kasa deb post-install (electron-builder.yml deb.afterInstall). electron-builder fills in the
# executable and product name placeholders below; this script replaces its default one, so the default
# steps (command link, chrome-sandbox, desktop databases, AppArmor) come first, then Kasa's device access.

if type update-alternatives >/dev/null 2>&1; then
    # Remove previous link if it doesn't use update-alternatives
    if [ -L '/usr/bin/${executable}' -a -e '/usr/bin/${executable}' -a "`readlink '/usr/bin/${executable}'`" != '/etc/alternatives/${executable}' ]; then
        rm -f '/usr/bin/${executable}'
    fi
    update-alternatives --install '/usr/bin/${executable}' '${executable}' '/opt/${sanitizedProductName}/${executable}' 100 || ln -sf '/opt/${sanitizedProductName}/${executable}' '/usr/bin/${executable}'
else
    ln -sf '/opt/${sanitizedProductName}/${executable}' '/usr/bin/${executable}'
fi

# Check if user namespaces are supported by the kernel and working with a quick test:
if ! { [[ -L /proc/self/ns/user ]] && unshare --user true; }; then
    # Use SUID chrome-sandbox only on systems without user namespaces:
    chmod 4755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
else
    chmod 0755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
fi

if hash update-mime-database 2>/dev/null; then
    update-mime-database /usr/share/mime || true
fi

if hash update-desktop-database 2>/dev/null; then
    update-desktop-database /usr/share/applications || true
fi

# Install apparmor profile. (Ubuntu 24+)
# First check if the version of AppArmor running on the device supports our profile.
# This is in order to keep backwards compatibility with Ubuntu 22.04 which does not support abi/4.0.
# In that case, we just skip installing the profile since the app runs fine without it on 22.04.
#
# Those apparmor_parser flags are akin to performing a dry run of loading a profile.
# https://wiki.debian.org/AppArmor/HowToUse#Dumping_profiles
#
# Unfortunately, at the moment AppArmor doesn't have a good story for backwards compatibility.
# https://askubuntu.com/questions/1517272/writing-a-backwards-compatible-apparmor-profile
if apparmor_status --enabled > /dev/null 2>&1; then
  APPARMOR_PROFILE_SOURCE='/opt/${sanitizedProductName}/resources/apparmor-profile'
  APPARMOR_PROFILE_TARGET='/etc/apparmor.d/${executable}'
  if apparmor_parser --skip-kernel-load --debug "$APPARMOR_PROFILE_SOURCE" > /dev/null 2>&1; then
    cp -f "$APPARMOR_PROFILE_SOURCE" "$APPARMOR_PROFILE_TARGET"

    # Updating the current AppArmor profile is not possible and probably not meaningful in a chroot'ed environment.
    # Use cases are for example environments where images for clients are maintained.
    # There, AppArmor might correctly be installed, but live updating makes no sense.
    if ! { [ -x '/usr/bin/ischroot' ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
      # Extra flags taken from dh_apparmor:
      # > By using '-W -T' we ensure that any abstraction updates are also pulled in.
      # https://wiki.debian.org/AppArmor/Contribute/FirstTimeProfileImport
      apparmor_parser --replace --write-cache --skip-read-cache "$APPARMOR_PROFILE_TARGET"
    fi
  else
    echo "Skipping the installation of the AppArmor profile as this version of AppArmor does not seem to support the bundled profile"
  fi
fi

# --- Kasa: scanners and card readers (docs/devices.md) ---------------------------------------------
# hidraw access for HID POS scanners (usage page 0x8C) and common scanner / card-reader vendors, for the
# logged-in user (uaccess) and the plugdev group. A failure here must not fail the package installation.
kasa_devices() {
  mkdir -p /usr/lib/kasa
  cat > /usr/lib/kasa/kasa-hid-usage-page <<'KASA_HELPER'
#!/bin/sh
# Used by 70-kasa-devices.rules: kasa-hid-usage-page <udev devpath of a hidraw node> <usage page, hex>
# Exits 0 when the device's HID report descriptor declares that usage page (item 05 pp, or 06 pp 00).
# KASA_SYSFS stands in for /sys in tests.
sys="$KASA_SYSFS"
[ -n "$sys" ] || sys=/sys
desc="$sys$1/device/report_descriptor"
[ -r "$desc" ] || exit 1
page=$(printf '%s' "$2" | tr 'A-F' 'a-f')
bytes=" $(od -An -v -tx1 "$desc" | tr -s ' \n' '  ') "
case "$bytes" in
  *" 05 $page "* | *" 06 $page 00 "*) exit 0 ;;
esac
exit 1
KASA_HELPER
  chmod 0755 /usr/lib/kasa/kasa-hid-usage-page
  cat > /etc/udev/rules.d/70-kasa-devices.rules <<'KASA_RULES'
# Kasa: barcode scanners and card readers for the people at the counter, without root.
# The logged-in user (uaccess) and the plugdev group get read/write access to the hidraw nodes of
#  - any HID POS barcode scanner (usage page 0x8C), whatever its vendor;
#  - scanners and card readers of the common vendors, in their HID (non-keyboard) modes.
# Serial / USB-CDC scanners (/dev/ttyACM*, /dev/ttyUSB*) need no rule: they belong to the dialout group.
# Installed as /etc/udev/rules.d/70-kasa-devices.rules by the Kasa package (native/linux/after-install.sh);
# by hand: copy it there with /usr/lib/kasa/kasa-hid-usage-page, then
#   sudo udevadm control --reload-rules && sudo udevadm trigger --subsystem-match=hidraw --action=change

ACTION=="remove", GOTO="kasa_devices_end"
SUBSYSTEM!="hidraw", GOTO="kasa_devices_end"

# HID POS scanners: udev has no usage page attribute, so the helper reads the HID report descriptor.
PROGRAM=="/usr/lib/kasa/kasa-hid-usage-page %p 8c", MODE="0660", GROUP="plugdev", TAG+="uaccess", GOTO="kasa_devices_end"

# Barcode scanners: Honeywell/Metrologic, Hand Held Products, Zebra/Symbol, Datalogic, Newland, Youjie.
ATTRS{idVendor}=="0c2e", MODE="0660", GROUP="plugdev", TAG+="uaccess", GOTO="kasa_devices_end"
ATTRS{idVendor}=="0536", MODE="0660", GROUP="plugdev", TAG+="uaccess", GOTO="kasa_devices_end"
ATTRS{idVendor}=="05e0", MODE="0660", GROUP="plugdev", TAG+="uaccess", GOTO="kasa_devices_end"
ATTRS{idVendor}=="05f9", MODE="0660", GROUP="plugdev", TAG+="uaccess", GOTO="kasa_devices_end"
ATTRS{idVendor}=="1eab", MODE="0660", GROUP="plugdev", TAG+="uaccess", GOTO="kasa_devices_end"
ATTRS{idVendor}=="23d0", MODE="0660", GROUP="plugdev", TAG+="uaccess", GOTO="kasa_devices_end"

# Magnetic stripe readers: MagTek, ID TECH.
ATTRS{idVendor}=="0801", MODE="0660", GROUP="plugdev", TAG+="uaccess", GOTO="kasa_devices_end"
ATTRS{idVendor}=="0acd", MODE="0660", GROUP="plugdev", TAG+="uaccess", GOTO="kasa_devices_end"

LABEL="kasa_devices_end"
KASA_RULES
  chmod 0644 /etc/udev/rules.d/70-kasa-devices.rules
  getent group plugdev >/dev/null 2>&1 || groupadd --system plugdev
  # No running udev (a chroot building a counter image): the rules are in place and apply at boot,
  # so the reload failing is no failure of the installation.
  if command -v udevadm >/dev/null 2>&1; then
    udevadm control --reload-rules || true
    # Devices already plugged in get the new permissions without a replug.
    udevadm trigger --subsystem-match=hidraw --action=change || true
  fi
}
kasa_devices || echo "Kasa: the scanner and card-reader access rules could not be installed; see docs/devices.md" >&2

cat <<'KASA_NOTE'
Kasa: scanner and card-reader access rules are installed (/etc/udev/rules.d/70-kasa-devices.rules).
  Serial and USB-CDC scanners (/dev/ttyACM*, /dev/ttyUSB*) belong to the dialout group: add the
  user who runs Kasa to it, and to plugdev for HID devices when nobody is logged in at the seat:
    sudo usermod -aG dialout,plugdev <user>     (then log out and in again)
KASA_NOTE

exit 0
