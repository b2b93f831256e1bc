/** In-flight invocations get this long to finish on SIGINT/SIGTERM before the process exits. */
const LOCAL_SHUTDOWN_TIMEOUT_MS = 30_000;
/** A second signal within a shutdown exits at once with this code (128 + SIGINT). */
const FORCED_EXIT_CODE = 130;

export { FORCED_EXIT_CODE, LOCAL_SHUTDOWN_TIMEOUT_MS };
