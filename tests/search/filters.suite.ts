// Search shows readers what the public views show: an item its source's filter rules block is not
// found, and is found again once the rule is gone (the rules judged again without a refetch).
import { expect, it } from 'vitest';
import { AUTH, get } from '../support/worker';
import { found, insertSource, storeItems } from './helpers';

const setFilters = async (id: number, filters: unknown[]) => {
  const res = await get(`/api/sources/${id}`, { method: 'PATCH', headers: AUTH, body: JSON.stringify({ filters }) });
  expect(res.status, await res.clone().text()).toBe(200);
};

it("an item blocked by its source's rules is not found; it is again once the rule is removed", async () => {
  const source = await insertSource();
  await storeItems(source, [
    { key: 'kept', title: 'Numbat habits explained', html: '<p>The numbat at rest.</p>', publishedAt: Date.UTC(2024, 4, 2) },
    { key: 'ad', title: 'Sponsored numbat plush', html: '<p>A numbat to buy.</p>', publishedAt: Date.UTC(2024, 4, 3) },
  ]);
  expect(await found('numbat')).toEqual([`${source}:ad`, `${source}:kept`]);

  await setFilters(source, [{ action: 'block', field: 'title', match: 'words', pattern: 'sponsored' }]);
  expect(await found('numbat')).toEqual([`${source}:kept`]);
  expect(await found('plush')).toEqual([]);
  // The page shows what the feed finds.
  expect(await (await get('/search?q=plush')).text()).not.toContain('Sponsored numbat plush');

  await setFilters(source, []);
  expect(await found('numbat')).toEqual([`${source}:ad`, `${source}:kept`]);
  expect(await found('plush')).toEqual([`${source}:ad`]);
});
