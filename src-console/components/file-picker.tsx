import { useTranslation } from 'react-i18next';

/**
 * The file chosen in a FilePicker, as text with its name; the input is emptied, so choosing the same
 * file again (after fixing it) is a change. Null when nothing was chosen.
 */
export async function takeChosenFile(input: HTMLInputElement): Promise<{ name: string; text: string } | null> {
  const file = input.files?.[0];
  if (!file) return null;
  const text = await file.text();
  input.value = '';
  return { name: file.name, text };
}

type FilePickerProps = { label: string; accept: string; fileName: string | null; onInput: (input: HTMLInputElement) => void };

/**
 * A file field in the console's language: Chromium writes its own "Choose File" and "No file
 * chosen" in the browser's. The input stays the labelled control (keyboard, screen readers, tests);
 * only its look is ours.
 */
export function FilePicker({ label, accept, fileName, onInput }: FilePickerProps) {
  const { t } = useTranslation();
  return (
    <label className="file-picker">
      {label}
      <input type="file" accept={accept} onChange={(e) => onInput(e.target)} />
      <span className="file-picker-row" aria-hidden="true">
        <span className="file-picker-button">{t('files.choose')}</span>
        <span className="file-picker-name">{fileName ?? t('files.none')}</span>
      </span>
    </label>
  );
}
