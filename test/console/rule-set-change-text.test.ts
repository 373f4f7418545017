// The version history's "what changed" in the console's language, from the server's changeFacts.
import { describe, expect, it } from 'vitest';
import { changeText } from '../../src-console/components/change-text';
import { createConsoleI18n } from '../../src-console/i18n/console-i18n';
import type { RuleSetChange } from '../../src-shared/program/rule-set-diff';

const tr = createConsoleI18n('tr').t;
const en = createConsoleI18n('en').t;

describe('rule-set changes in the console’s language', () => {
  it('says every kind of change in Turkish, naming fields as the form does', () => {
    const said = (c: RuleSetChange) => changeText(c, tr);
    expect(said({ kind: 'first-version' })).toBe('ilk sürüm');
    expect(said({ kind: 'no-change' })).toBe('sürüm dışında değişiklik yok');
    expect(said({ kind: 'value-changed', field: 'earning.pointsPerUnit', from: 1, to: 2 })).toBe('Para birimi başına puan: 1 → 2');
    expect(said({ kind: 'value-changed', field: 'redemption.offlineDailyCapPoints', to: 500 })).toBe('Çevrimdışı üye başına günlük sınır (puan, boş: yok): yok → 500');
    expect(said({ kind: 'value-changed', field: 'name', from: 'Club', to: 'Kulüp' })).toBe('Ad: "Club" → "Kulüp"');
    expect(said({ kind: 'field-changed', field: 'earning.categoryRates' })).toBe('Kategori oranları (birim başına puan) değişti');
    expect(said({ kind: 'value-changed', field: 'earning.categoryRates.Bakery', from: 2, to: 3 })).toBe('Kategori oranları (birim başına puan) “Bakery”: 2 → 3');
    expect(said({ kind: 'list-changed', field: 'earning.excludedCategories', added: ['lottery'], removed: ['tobacco', 'alcohol'] })).toBe('Puan kazandırmayan kategoriler (virgülle ayrılmış): "lottery" eklendi; "tobacco", "alcohol" çıkarıldı');
    expect(said({ kind: 'list-changed', field: 'earning.excludedCategories', added: [], removed: ['tobacco'] })).toBe('Puan kazandırmayan kategoriler (virgülle ayrılmış): "tobacco" çıkarıldı');
    expect(said({ kind: 'field-changed', field: 'offers' })).toBe('offers değişti');
    expect(said({ kind: 'section-added', section: 'tiers' })).toBe('Seviyeler eklendi');
    expect(said({ kind: 'section-removed', section: 'referral' })).toBe('Tavsiye kaldırıldı');
    expect(said({ kind: 'item-added', list: 'promotion', id: 'wed' })).toBe('kampanya wed eklendi');
    expect(said({ kind: 'item-changed', list: 'reward', id: 'coffee' })).toBe('ödül coffee değişti');
    expect(said({ kind: 'item-removed', list: 'promotion', id: 'tue' })).toBe('kampanya tue kaldırıldı');
    expect(said({ kind: 'expiry-changed' })).toBe('puanların süresi hiç dolmaz');
    expect(said({ kind: 'expiry-changed', months: 24, endOfMonth: true })).toBe('puanların süresi 24 ay sonra, ayın sonunda dolar');
  });

  it('says them in English too', () => {
    expect(changeText({ kind: 'value-changed', field: 'earning.pointsPerUnit', from: 1, to: 2 }, en)).toBe('Points per currency unit: 1 → 2');
    expect(changeText({ kind: 'item-added', list: 'promotion', id: 'wed' }, en)).toBe('promotion wed added');
    expect(changeText({ kind: 'list-changed', field: 'earning.excludedCategories', added: ['lottery'], removed: [] }, en)).toBe('Categories that earn nothing (comma separated): added "lottery"');
  });
});
