// Published claims about isolation overhead, as data: what each says, what kind of claim it is, its source and method, and how a run can check it.
import type { Claim, ClaimSource } from '../model/claims.js';
import { ANCHOR_CLAIMS } from './claims-anchors.js';
import { FELTER_CLAIMS } from './claims-felter.js';

const SLIDE: ClaimSource = {
  cite: "a vendor's sysbench slide comparing containers, bare metal and hardware virtualization (slide not identified)",
  status: 'unverified',
  note: 'Its origin could not be found; neither its sysbench options nor its hypervisor are known.',
};
const COMMON: ClaimSource = {
  cite: 'a common comparison of VMs and containers in vendor and blog material (no measurement behind it)',
  status: 'unverified',
  note: 'No primary source found; the figures are round numbers used to explain an idea.',
};
const SLIDE_METHOD = (workload: string, virtualization: 'hardware' | 'none') => ({
  workload,
  threads: 'not stated',
  hypervisor:
    virtualization === 'hardware'
      ? 'hardware virtualization (hypervisor not stated)'
      : 'containers (engine not stated)',
  virtualization,
});
const CONTRADICTS =
  'At odds with every hardware-accelerated measurement here: Felter et al. 2014 (tuned KVM Linpack ' +
  'at 0.977 of native) and the Firecracker and gVisor figures. A factor like this is what ' +
  'emulation (TCG) or a misconfigured guest costs.';
const ALL_RATES = ['events_per_s', 'transfer_MiBps', 'read_MiBps', 'written_MiBps', 'read_iops', 'write_iops'];

/** Vendor assertions, marketing and illustrations, kept because readers meet them, and marked as what they are. */
const VENDOR_CLAIMS: readonly Claim[] = [
  {
    id: 'containers-98pct',
    kind: 'vendor-assertion',
    source: {
      cite: "a vendor article in an IT magazine's container feature (article not identified)",
      status: 'unverified',
      note:
        'The line comes from a vendor article, not from the sysbench slide it was attributed to before; ' +
        'the article could not be found. Measurements that support it: Felter et al. 2014 (Docker ' +
        'Linpack 290.9 against native 290.8 GFLOPS).',
    },
    claim: 'Containers give 98 % or more of bare-metal performance.',
    method: { workload: 'not stated', hypervisor: 'containers (engine not stated)', virtualization: 'none' },
    checks: [
      {
        env: 'container',
        against: 'bare',
        metrics: ALL_RATES,
        rule: 'relative-at-least',
        value: 0.98,
        says: 'reaches ≥ 98 % of bare metal',
      },
    ],
  },
  {
    id: 'slide-container-equal',
    kind: 'marketing',
    source: SLIDE,
    claim: 'Container and bare metal are nearly equal on sysbench CPU, memory and file IO.',
    method: SLIDE_METHOD('sysbench cpu, memory and fileio (options not stated)', 'none'),
    checks: [
      {
        env: 'container',
        against: 'bare',
        metrics: ['events_per_s', 'transfer_MiBps', 'read_MiBps', 'written_MiBps'],
        rule: 'relative-about',
        value: 1.0,
        factor: 1.05,
        says: '≈ 100 % of bare metal (within 5 %)',
      },
    ],
  },
  {
    id: 'slide-vm-cpu-5x',
    kind: 'marketing',
    source: SLIDE,
    claim: 'Hardware virtualization took about 5× the time of bare metal for sysbench CPU.',
    method: SLIDE_METHOD('sysbench cpu (options not stated)', 'hardware'),
    checks: [
      {
        env: 'vm',
        against: 'bare',
        metrics: ['events_per_s'],
        rule: 'relative-about',
        value: 0.2,
        factor: 1.5,
        says: '≈ 20 % of bare-metal throughput (5× the time)',
      },
    ],
    note: CONTRADICTS,
  },
  {
    id: 'slide-vm-memory-fileio-2x',
    kind: 'marketing',
    source: SLIDE,
    claim: 'Hardware virtualization took about 2× the time of bare metal for sysbench memory and file IO.',
    method: SLIDE_METHOD('sysbench memory and fileio (options not stated)', 'hardware'),
    checks: [
      {
        env: 'vm',
        against: 'bare',
        metrics: ['transfer_MiBps', 'read_MiBps', 'written_MiBps'],
        rule: 'relative-about',
        value: 0.5,
        factor: 1.5,
        says: '≈ 50 % of bare-metal throughput (2× the time)',
      },
    ],
    note: CONTRADICTS,
  },
  {
    id: 'boot-minutes-seconds',
    kind: 'illustration',
    source: COMMON,
    claim: 'VMs boot in minutes, containers in seconds.',
    method: {
      workload: 'not stated',
      hypervisor: 'hardware virtualization and containers (not stated)',
      virtualization: 'hardware',
    },
    checks: [
      {
        env: 'vm',
        metrics: ['startup_ms'],
        rule: 'absolute-range',
        min: 60000,
        max: 3600000,
        says: 'VM start takes minutes (≥ 60 000 ms)',
      },
      {
        env: 'container',
        metrics: ['startup_ms'],
        rule: 'absolute-at-most',
        max: 60000,
        says: 'container start takes seconds at most (< 60 000 ms; an upper bound, so runc at ~50 ms agrees)',
      },
    ],
    note:
      "Measured anchors contradict the VM half: Kata Containers' QEMU guests reach their workload in " +
      "~0.71 s, Firecracker's microVMs their init in ≤ 125 ms, LightVM's unikernels boot in 2.3 ms.",
  },
  {
    id: 'deploy-times',
    kind: 'illustration',
    source: COMMON,
    claim: 'Deploy times: 27 h (physical), 12 min (virtual), 10 s (container).',
    method: { workload: 'not stated', virtualization: 'hardware' },
    checks: [],
    why: 'deployment (procurement, provisioning) is not something isobench measures',
  },
  {
    id: 'density-4-vs-16',
    kind: 'illustration',
    source: COMMON,
    claim: 'On one host: 4 VMs for 4 apps versus 16 containers.',
    method: { workload: 'not stated', virtualization: 'hardware' },
    checks: [],
    why:
      'an illustration with no stated app or host: isobench plan answers it for a given app and host ' +
      'from the measured per-instance memory and CPU ratios, which is arithmetic on measurements, not ' +
      'a measured check of the claim',
  },
  {
    id: 'guest-os-500mb',
    kind: 'illustration',
    source: {
      cite: "a blog's remark about the memory an Ubuntu server OS needs to stay up (blog not identified)",
      status: 'unverified',
    },
    claim: 'A guest OS alone takes ~500 MB of memory.',
    method: { workload: 'not a measurement: a full Ubuntu server OS kept alive', virtualization: 'hardware' },
    checks: [],
    why:
      "it is a remark about keeping a full Ubuntu server alive, not a measurement of a guest's " +
      "overhead; isobench's guest is a busybox initramfs, so comparing its qemu PSS with 500 MB would " +
      'say nothing (kata-qemu-memory is the measured anchor for that)',
  },
];

/**
 * Every published claim an isobench report places next to its measurements (sources audited for
 * issue 9; where they are checked: docs/architecture.md). Relative rules use relative performance
 * (environment ÷ the `against` environment for higher-is-better metrics, the inverse for
 * lower-is-better ones); absolute rules use the environment's median of per-trial medians. A claim
 * without checks cannot be measured by isobench.
 */
export const CLAIMS: readonly Claim[] = [...VENDOR_CLAIMS, ...FELTER_CLAIMS, ...ANCHOR_CLAIMS];
