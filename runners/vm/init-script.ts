// The guest's PID 1 (`rdinit=/isobench/vm-init`): mounts, loads modules, announces ready, runs host commands.

/** Path of the guest init inside the workload image. */
export const VM_INIT_PATH = '/isobench/vm-init';

/** Name of the virtio-serial port that carries commands and their framed results. */
export const VM_PORT_NAME = 'isobench.cmd';

/** Directory (inside the initramfs) of the module load lists written by the initramfs builder. */
export const VM_MODULE_LISTS = '/isobench/vm';

/**
 * The guest init. Kernel messages and init diagnostics go to the serial console; the command
 * port carries only the ready facts and framed results: each request is one line
 * `run <nonce> <dir> <base64 script>`, each answer `isobench-begin <nonce>`, base64 stdout,
 * `isobench-stderr <nonce>`, base64 stderr, `isobench-end <nonce> <exit status>` — base64 lines
 * can never look like a frame line, and the nonce is fresh for every command.
 */
export const VM_INIT_SCRIPT = `#!/bin/sh
export PATH=/usr/sbin:/usr/bin HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
hostname -F /etc/hostname
say() { echo "isobench-init: $*" >/dev/console; }
load() {
  [ -f ${VM_MODULE_LISTS}/modules-$1 ] || return 0
  while read -r ko; do insmod "$ko" || say "insmod $ko failed"; done < ${VM_MODULE_LISTS}/modules-$1
}
load boot
case " $(cat /proc/cmdline) " in
  *" isobench.hang=ready "*) say "test hook isobench.hang=ready: never announcing ready"; while :; do sleep 3600; done ;;
esac
port=""
n=0
while [ -z "$port" ] || [ ! -c "$port" ]; do
  for f in /sys/class/virtio-ports/*/name; do
    [ "$(cat "$f" 2>/dev/null)" = ${VM_PORT_NAME} ] && { p=\${f%/name}; port=/dev/\${p##*/}; }
  done
  n=$((n + 1))
  [ $n -gt 1000 ] && { say "no virtio-serial port named ${VM_PORT_NAME}"; poweroff -f; }
  [ -n "$port" ] && [ -c "$port" ] || sleep 0.01
done
exec 3<>"$port"
{
  echo "isobench-kernel $(uname -r)"
  echo "isobench-nproc $(nproc)"
  echo "isobench-memtotal-kb $(sed -n 's/^MemTotal: *\\([0-9]*\\) kB$/\\1/p' /proc/meminfo)"
  echo "isobench-cmdline $(cat /proc/cmdline)"
  echo "isobench-clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
  /isobench/ready
} >&3 2>/dev/console
t=/tmp/.isobench
while read -r verb nonce dir b64 <&3; do
  case "$verb" in
    run)
      echo "$b64" | base64 -d >$t.cmd
      if cd "$dir" 2>$t.err; then
        sh $t.cmd </dev/null >$t.out 2>$t.err
        rc=$?
      else
        : >$t.out
        rc=126
      fi
      cd /
      { echo "isobench-begin $nonce"; base64 $t.out; echo "isobench-stderr $nonce"; base64 $t.err; echo "isobench-end $nonce $rc"; } >&3
      rm -f $t.cmd $t.out $t.err
      ;;
    poweroff) say "powering off"; sync; poweroff -f ;;
    *) say "unknown request '$verb'" ;;
  esac
done
say "command port closed"
poweroff -f
`;
