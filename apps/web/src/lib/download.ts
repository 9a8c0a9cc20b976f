/** Starts a browser download of `text` as a file. */
export function downloadText(fileName: string, text: string, mime: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Starts a browser download of a value as pretty-printed JSON. */
export const downloadJson = (fileName: string, value: unknown): void =>
  downloadText(fileName, `${JSON.stringify(value, null, 2)}\n`, "application/json");
