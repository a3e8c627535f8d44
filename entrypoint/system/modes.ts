/**
 * The permission modes of everything whisk creates. Started as root, nothing may be writable
 * by group 0, the application's group (Apache reads the configuration as root); started as
 * another uid, group 0 shares the files, so an arbitrary uid in group 0 (OpenShift) can
 * run the same server root. The launcher's umask (0022 or 0002) is the same rule for what
 * Apache and mod_wsgi create.
 */

/** A file: 0644 as root, else 0664. */
export const fileMode = (asRoot: boolean): number => (asRoot ? 0o644 : 0o664);

/** A directory: 0755 as root, else 0775. */
export const dirMode = (asRoot: boolean): number => (asRoot ? 0o755 : 0o775);
