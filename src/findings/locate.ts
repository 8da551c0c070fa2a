/**
 * Where a cell is, found by its id in the open notebooks. A kernel names its notebook by the
 * path it was started for (a renamed notebook keeps the old name there), so the cell id, which
 * is unique, decides. Pure: the open notebooks come in as data.
 */
export interface ICellPlace {
  /** The notebook's current path. */
  path: string;
  /** 1-based, as the user counts cells. */
  number: number;
}

export type CellLocator = (cellId: string) => ICellPlace | null;

export interface IOpenNotebook {
  path: string;
  cellIds: readonly string[];
}

export function locateCell(
  notebooks: Iterable<IOpenNotebook>,
  cellId: string
): ICellPlace | null {
  for (const nb of notebooks) {
    const index = nb.cellIds.indexOf(cellId);
    if (index >= 0) {
      return { path: nb.path, number: index + 1 };
    }
  }
  return null;
}
