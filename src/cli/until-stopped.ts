// Long-running commands (dns, proxy) run until SIGINT or SIGTERM; SIGHUP asks for a reload.
export function untilStopped(reload: () => void): Promise<void> {
  return new Promise<void>((resolve) => {
    const onReload = () => reload();
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.off('SIGHUP', onReload);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    process.on('SIGHUP', onReload);
  });
}
