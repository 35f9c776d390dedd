// Published claims about isolation overhead, as data: what each says, its source, and how a run can check it.
import type { Claim } from '../model/claims.js';

/** Published claims about isolation overhead that an isobench report can check, each with its source (where they are checked: docs/architecture.md). Each check names the environment kind (`env`, optionally `engine`), the metrics and a rule; relative rules compare against the baseline environment named in `against` and use relative performance (environment ÷ baseline for higher-is-better metrics, baseline ÷ environment for lower-is-better ones); absolute rules use the environment's median of per-trial medians. A claim without checks cannot be measured by isobench. */
export const CLAIMS: readonly Claim[] = [
  {
    id: 'containers-98pct',
    source: 'vendor sysbench slide (container vs bare metal vs hardware virtualization)',
    claim: 'Containers give 98 %+ of bare-metal performance.',
    checks: [
      { env: 'container', against: 'bare', metrics: ['events_per_s', 'transfer_MiBps', 'read_MiBps', 'written_MiBps', 'read_iops', 'write_iops'], rule: 'relative-at-least', value: 0.98, says: 'reaches ≥ 98 % of bare metal' },
    ],
  },
  {
    id: 'slide-container-equal',
    source: 'vendor sysbench slide',
    claim: 'Container and bare metal are nearly equal on sysbench CPU, memory and file IO.',
    checks: [
      { env: 'container', against: 'bare', metrics: ['events_per_s', 'transfer_MiBps', 'read_MiBps', 'written_MiBps'], rule: 'relative-about', value: 1.0, factor: 1.05, says: '≈ 100 % of bare metal (within 5 %)' },
    ],
  },
  {
    id: 'slide-vm-cpu-5x',
    source: 'vendor sysbench slide',
    claim: 'Hardware virtualization took about 5× the time of bare metal for sysbench CPU.',
    checks: [
      { env: 'vm', against: 'bare', metrics: ['events_per_s'], rule: 'relative-about', value: 0.2, factor: 1.5, says: '≈ 20 % of bare-metal throughput (5× the time)' },
    ],
  },
  {
    id: 'slide-vm-memory-fileio-2x',
    source: 'vendor sysbench slide',
    claim: 'Hardware virtualization took about 2× the time of bare metal for sysbench memory and file IO.',
    checks: [
      { env: 'vm', against: 'bare', metrics: ['transfer_MiBps', 'read_MiBps', 'written_MiBps'], rule: 'relative-about', value: 0.5, factor: 1.5, says: '≈ 50 % of bare-metal throughput (2× the time)' },
    ],
  },
  {
    id: 'boot-minutes-seconds',
    source: 'common vendor comparison of VMs and containers',
    claim: 'VMs boot in minutes, containers in seconds.',
    checks: [
      { env: 'vm', metrics: ['startup_ms'], rule: 'absolute-range', min: 60000, max: 3600000, says: 'VM start takes minutes (≥ 60 000 ms)' },
      { env: 'container', metrics: ['startup_ms'], rule: 'absolute-range', min: 1000, max: 60000, says: 'container start takes seconds (1 000–60 000 ms)' },
    ],
  },
  {
    id: 'deploy-times',
    source: 'common vendor comparison of VMs and containers',
    claim: 'Deploy times: 27 h (physical), 12 min (virtual), 10 s (container).',
    checks: [],
    why: 'deployment (procurement, provisioning) is not something isobench measures',
  },
  {
    id: 'density-4-vs-16',
    source: 'common vendor comparison of VMs and containers',
    claim: 'On one host: 4 VMs for 4 apps versus 16 containers.',
    checks: [],
    why: 'isobench records per-instance memory (instance_memory_MiB) but does not pack hosts to count instances',
  },
  {
    id: 'guest-os-500mb',
    source: 'common vendor comparison of VMs and containers',
    claim: 'A guest OS alone takes ~500 MB of memory.',
    checks: [
      { env: 'vm', metrics: ['instance_memory_MiB'], rule: 'absolute-about', value: 476.8, factor: 1.5, says: '≈ 500 MB (476.8 MiB) per idle guest' },
    ],
  },
  {
    id: 'felter-linpack',
    source: 'Felter et al., IBM Research 2014, An Updated Performance Comparison of Virtual Machines and Linux Containers',
    claim: 'Linpack: native 290.8 GFLOPS, Docker 290.9, tuned KVM 284.2 (−2 %), untuned KVM 130.3 (−55 %).',
    checks: [],
    why: 'isobench runs sysbench, not Linpack',
  },
  {
    id: 'felter-stream',
    source: 'Felter et al., IBM Research 2014',
    claim: 'STREAM memory bandwidth under KVM is 1–3 % below native.',
    checks: [
      { env: 'vm', against: 'bare', metrics: ['transfer_MiBps'], rule: 'relative-range', min: 0.97, max: 0.99, says: '97–99 % of bare metal (sysbench memory with a block above the LLC stands in for STREAM)' },
    ],
  },
  {
    id: 'felter-fio',
    source: 'Felter et al., IBM Research 2014',
    claim: 'fio 4K random IOPS under KVM are 45–51 % below native.',
    checks: [
      { env: 'vm', against: 'bare', metrics: ['read_iops', 'write_iops'], params: {'block-size': '4K'}, rule: 'relative-range', min: 0.49, max: 0.55, says: '49–55 % of bare-metal IOPS at 4K blocks (sysbench fileio stands in for fio)' },
    ],
  },
  {
    id: 'felter-netperf',
    source: 'Felter et al., IBM Research 2014',
    claim: 'netperf TCP_RR round trip: 37.6 µs native vs 67.9 µs KVM.',
    checks: [],
    why: 'isobench runs no network workload (guests and containers have no network by default)',
  },
  {
    id: 'firecracker-boot',
    source: 'Firecracker specification (SPECIFICATION.md)',
    claim: 'A microVM reaches guest /sbin/init in ≤ 125 ms.',
    checks: [
      { env: 'vm', engine: 'firecracker', metrics: ['startup_ms'], rule: 'absolute-at-most', max: 125, says: '≤ 125 ms from spawn to ready' },
    ],
  },
  {
    id: 'firecracker-overhead',
    source: 'Firecracker specification (SPECIFICATION.md)',
    claim: '≤ 5 MiB of VMM memory overhead per microVM.',
    checks: [],
    why: "isobench measures the whole instance (guest memory included), not the VMM's own overhead",
  },
  {
    id: 'gvisor-runc-idle',
    source: 'gVisor performance guide',
    claim: 'An idle runc container takes ~3.9 MiB of host memory.',
    checks: [
      { env: 'container', engine: 'runc', metrics: ['instance_memory_MiB'], rule: 'absolute-about', value: 3.9, factor: 1.5, says: '≈ 3.9 MiB per idle runc container' },
    ],
  },
];
