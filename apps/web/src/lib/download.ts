/** Starts a browser download of `text` as a file. */
export function downloadText(fileName: string, text: string, mime: string): void {
  downloadBlob(fileName, new Blob([text], { type: mime }));
}

/** Starts a browser download of a value as pretty-printed JSON. */
export const downloadJson = (fileName: string, value: unknown): void =>
  downloadText(fileName, `${JSON.stringify(value, null, 2)}\n`, "application/json");

/** Starts a browser download of bytes as a file. */
export function downloadBytes(fileName: string, bytes: Uint8Array<ArrayBuffer>, mime: string): void {
  downloadBlob(fileName, new Blob([bytes], { type: mime }));
}

function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
