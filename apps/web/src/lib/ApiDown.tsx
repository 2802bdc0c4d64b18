/** What a page shows when the marketplace API does not answer: the cause in one line, then what to do. */
export function ApiDown({ what, error }: { what: string; error: unknown }) {
  const cause = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
  return (
    <div className="notice error" role="alert">
      <p>{`${what} could not be loaded: ${cause}`}</p>
      <p>Check that the marketplace API is running (`confidant dev` starts it on a local machine), then reload this page.</p>
    </div>
  );
}
