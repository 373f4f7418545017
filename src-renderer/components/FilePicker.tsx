import { useTranslation } from 'react-i18next';

type FilePickerProps = { label: string; accept: string; fileName: string | null; onFile: (file: File | null) => void };

/**
 * A file field in the terminal's language: Chromium writes its own "Choose File" and "No file
 * chosen" in the browser's. The input stays the labelled control (keyboard, screen readers, tests);
 * only its look is ours.
 */
export function FilePicker({ label, accept, fileName, onFile }: FilePickerProps) {
  const { t } = useTranslation();
  return (
    <label className="file-picker">
      {label}
      <input type="file" accept={accept} onChange={(e) => onFile(e.target.files?.[0] ?? null)} />
      <span className="file-picker-row" aria-hidden="true">
        <span className="file-picker-button">{t('files.choose')}</span>
        <span className="file-picker-name">{fileName ?? t('files.none')}</span>
      </span>
    </label>
  );
}
