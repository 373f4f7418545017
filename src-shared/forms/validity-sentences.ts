// A form field's native check (required, min, max, pattern...) in the screen's language, not the
// browser's: the sentences validity-message.ts picks by key, for the terminal's and the console's
// language files alike (each puts a table under "validity"). i18next's format: {{name}} is filled
// in, a _one key is the singular of a count.

export const VALIDITY_SENTENCES_EN = {
  required: 'Fill in this field.',
  requiredChoice: 'Choose an item in the list.',
  requiredCheck: 'Tick this box to go on.',
  requiredRadio: 'Choose one of these options.',
  requiredFile: 'Choose a file.',
  badNumber: 'Enter a number.',
  badDate: 'Enter a complete, valid date.',
  invalid: 'Enter a valid value.',
  typeEmail: 'Enter an email address, such as name@example.com.',
  typeUrl: 'Enter a web address, such as https://example.com.',
  pattern: 'Enter the value in the format asked for.',
  tooLong: 'Use at most {{maxLength}} characters (now {{length}}).',
  tooLong_one: 'Use at most {{maxLength}} character (now {{length}}).',
  tooShort: 'Use at least {{minLength}} characters (now {{length}}).',
  tooShort_one: 'Use at least {{minLength}} character (now {{length}}).',
  tooSmall: 'The value must be at least {{min}}.',
  tooLarge: 'The value must be at most {{max}}.',
  tooEarly: 'Choose {{min}} or later.',
  tooLate: 'Choose {{max}} or earlier.',
  stepBetween: 'Enter a valid value: the nearest are {{below}} and {{above}}.',
  stepNearest: 'Enter a valid value: the nearest is {{nearest}}.',
};

export const VALIDITY_SENTENCES_TR: typeof VALIDITY_SENTENCES_EN = {
  required: 'Bu alanı doldurun.',
  requiredChoice: 'Listeden bir öğe seçin.',
  requiredCheck: 'Devam etmek için bu kutuyu işaretleyin.',
  requiredRadio: 'Seçeneklerden birini seçin.',
  requiredFile: 'Bir dosya seçin.',
  badNumber: 'Bir sayı girin.',
  badDate: 'Eksiksiz ve geçerli bir tarih girin.',
  invalid: 'Geçerli bir değer girin.',
  typeEmail: 'Bir e-posta adresi girin, örneğin ad@ornek.com.',
  typeUrl: 'Bir web adresi girin, örneğin https://ornek.com.',
  pattern: 'Değeri istenen biçimde girin.',
  tooLong: 'En fazla {{maxLength}} karakter kullanın (şu an {{length}}).',
  tooLong_one: 'En fazla {{maxLength}} karakter kullanın (şu an {{length}}).',
  tooShort: 'En az {{minLength}} karakter kullanın (şu an {{length}}).',
  tooShort_one: 'En az {{minLength}} karakter kullanın (şu an {{length}}).',
  tooSmall: 'Değer en az {{min}} olmalı.',
  tooLarge: 'Değer en fazla {{max}} olmalı.',
  tooEarly: '{{min}} ya da sonraki bir tarih seçin.',
  tooLate: '{{max}} ya da önceki bir tarih seçin.',
  stepBetween: 'Geçerli bir değer girin: en yakın değerler {{below}} ve {{above}}.',
  stepNearest: 'Geçerli bir değer girin: en yakın değer {{nearest}}.',
};
