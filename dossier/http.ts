/** What the web client and the REST API agree on beside the JSON bodies. */

/** Sent (value `1`) on requests the page makes by itself, on a timer: they do not count as use of the session. */
export const BACKGROUND_REFRESH_HEADER = 'x-background-refresh';
