// GitHub's legacy global node ids: base64("<len>:<Type><id>"), e.g. "MDQ6VXNlcjE=" for user 1.
export const nodeId = (type: string, id: number | string): string =>
  Buffer.from(`${String(type.length).padStart(2, '0')}:${type}${id}`).toString('base64')
