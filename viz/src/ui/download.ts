/**
 * Saving text as a file from the browser, for the exports (Chrome trace JSON, OTLP JSONL).
 *
 * The viz is offline-first: an export is a plain download the learner then opens in
 * Perfetto (ui.perfetto.dev, "Open trace file") or uploads to Jaeger, never a network call.
 */

/** Offer `text` as a download named `fileName`. */
export function downloadText(fileName: string, text: string, mime: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // Give the browser a moment to start the download before the blob URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
