import { locateCell } from './locate';

describe('locateCell', () => {
  const open = [
    { path: 'a.ipynb', cellIds: ['x', 'y'] },
    { path: 'dir/b.ipynb', cellIds: ['z'] }
  ];

  it('finds a cell by id in any open notebook, numbered from 1', () => {
    expect(locateCell(open, 'y')).toEqual({ path: 'a.ipynb', number: 2 });
    expect(locateCell(open, 'z')).toEqual({ path: 'dir/b.ipynb', number: 1 });
  });

  it('is null for a cell that is not open', () => {
    expect(locateCell(open, 'gone')).toBeNull();
    expect(locateCell([], 'x')).toBeNull();
  });
});
