// Reads and drops a request body (up to `maxBytes`) before an early error answer. A server that answers
// 413 and closes while the client is still uploading makes many clients (fetch/undici among them)
// report a dropped connection instead of the 413; reading the rest first lets the answer arrive.
export async function discardBody(request: Request, maxBytes: number): Promise<void> {
  const body = request.body;
  if (!body || body.locked) return;
  const reader = body.getReader();
  let read = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
      // Past this, answering promptly matters more than the client seeing the answer.
      if (read > maxBytes) return void (await reader.cancel());
    }
  } catch {
    // The client went away: nothing left to answer.
  } finally {
    reader.releaseLock();
  }
}
