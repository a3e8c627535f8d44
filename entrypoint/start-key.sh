#!/bin/sh
# whisk start key: prints one SHA-256 of everything `whisk start` reads to make its plan, so
# the launcher can tell whether the configuration rendered when the image was built (the
# start cache, entrypoint/system/start-cache.ts) is still the one whisk would write now.
#   start-key.sh CACHE_DIR [ARGUMENT...]
# The arguments are those of `whisk start`. What is hashed, in order:
#   - the arguments, each with its length (a word may hold a newline);
#   - every WHISK_* and MOD_WSGI_* variable and VIRTUAL_ENV (the only environment the
#     plan reads: its option layer and system/runtime.ts), escaped one a line, sorted;
#   - the user, group and groups, and the working directory;
#   - what the container's sizing reads besides files: the CPUs this process may run on
#     (os.availableParallelism) and the machine's memory (os.totalmem);
#   - the files the plan read when the cache was made, each as it read them: CACHE_DIR/read
#     (contents), stat and lstat (type, mode, owner), list (a directory's entries and their
#     types), one absolute path a line; the line 0:: of /proc/self/cgroup (cgroup v2 path)
#     when the plan read it (CACHE_DIR/cgroup).
# Nothing here is evaluated: paths go to the programs as single arguments (xargs -d '\n').
# The same script makes the key at build (the start cache) and at each start, so both read
# their inputs the same way; a difference anywhere means whisk plans the start itself.
set -eu
export LC_ALL=C
cache=$1
shift
{
  echo 'whisk start key 1'
  echo "arguments $#"
  for word in "$@"; do printf '%s:%s\n' "${#word}" "$word"; done
  awk 'BEGIN {
    for (name in ENVIRON) {
      if (name !~ /^(WHISK_|MOD_WSGI_)/ && name != "VIRTUAL_ENV") continue
      if (name == "WHISK_EXEC_FD") continue
      value = ENVIRON[name]
      gsub(/\\/, "\\\\", value); gsub(/\n/, "\\n", value)
      print "env " name "=" value
    }
  }' | sort
  echo "user $(id)"
  echo "cwd $(pwd -P)"
  cgroup=/dev/null
  if [ -f "$cache/cgroup" ]; then cgroup=/proc/self/cgroup; fi
  grep -h -e '^Cpus_allowed_list:' -e '^MemTotal:' -e '^0::' /proc/self/status /proc/meminfo "$cgroup" || true
  echo 'read'
  # Regular files only: a FIFO in a file's place must not hang the start.
  [ ! -s "$cache/read" ] || xargs -d '\n' -a "$cache/read" sh -c 'n=$#
    for f; do if [ -f "$f" ]; then set -- "$@" "$f"; else echo "$f: not a regular file"; fi; done
    shift "$n"; [ "$#" = 0 ] || sha256sum -- "$@"' read 2>&1 || true
  echo 'stat'
  [ ! -s "$cache/stat" ] || xargs -d '\n' -a "$cache/stat" stat -L -c '%n %F %a %u %g' -- 2>&1 || true
  echo 'lstat'
  [ ! -s "$cache/lstat" ] || xargs -d '\n' -a "$cache/lstat" stat -c '%n %F %a %u %g' -- 2>&1 || true
  echo 'list'
  [ ! -s "$cache/list" ] || xargs -d '\n' -a "$cache/list" sh -c 'for d; do echo "$d"; find "$d" -mindepth 1 -maxdepth 1 -printf "%f %y\n" 2>&1 | sort; done' list 2>&1 || true
} | sha256sum | { read -r key _ && echo "$key"; }
