"""Benchmark: our firehose_delivery_stream vs the same pipelines wired by hand
with the official AWS provider 3.39.0, against one local moto server behind
the counting proxy (tools/aws_proxy.py). Run through `bench/run`.

For N streams (1, 10, 40; --quick: 1, 10) and each provider it times
`terraform apply`, a no-change `terraform plan -refresh=true` (run 3 times;
the median run is kept) and `terraform destroy` (all with -parallelism=10), counts the AWS API calls the
proxy saw, and samples the peak RSS (VmHWM) and CPU time of every provider
process Terraform started. Separately it times each provider binary from exec
to its go-plugin handshake line, and measures peak RSS while Terraform reads
its schema (`terraform providers schema -json`), for ours, the AWS provider
and a Go terraform-plugin-framework provider (workato 0.16.0).

With --real-aws (bench/README.md) the same pipelines run a second time with
the proxy in real-AWS mode (a round trip per call, IAM propagation, CREATING
and DELETING by the clock, a CreateDeliveryStream rate), and each apply and
destroy is set against its critical path: the least time those facts allow.

Results: bench/results/results.json, then bench/report.py writes
bench/results/results.md and bench/results/chart.svg.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
VENV = REPO / ".venv"
PY = VENV / "bin" / "python"
SITE = VENV / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
AWS_ZIP = SITE / "cloudrail/terraform_plugins/terraform-provider-aws_3.39.0_linux_amd64.zip"
AWS_EXE = "terraform-provider-aws_v3.39.0_x5"
WORKATO_BIN = (
    SITE
    / "workato_terraform_provider/payload/registry.terraform.io/local/workato/0.16.0/linux_amd64"
    / "terraform-provider-workato_v0.16.0"
)
MAGIC = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
PARALLELISM = 10
PLAN_RUNS = 3
# The scale run: N streams spread over regions (moto holds 50 per region).
SCALE_N = 200
SCALE_REGIONS = 4
CLK_TCK = os.sysconf("SC_CLK_TCK")


def log(msg: str) -> None:
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"bench: nothing listening on port {port} after {timeout}s")


def proc_cpu_seconds(pid: int) -> float:
    """utime+stime of one process, in seconds (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK
    except (OSError, IndexError, ValueError):
        return 0.0


def git_state() -> str:
    """The commit measured, and whether the working tree differed from it."""
    try:
        head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no", "--", "src"],
                               capture_output=True, text=True, check=True).stdout.strip()
        return head + (" + uncommitted changes in src/" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


# ---------------------------------------------------------------- RSS sampling


def parent_pid(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("PPid:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def descends_from(pid: int, root: int) -> bool:
    for _ in range(64):
        if pid == root:
            return True
        ppid = parent_pid(pid)
        if not ppid:
            return False
        pid = ppid
    return False


class ProviderSampler:
    """Polls /proc for processes whose executable has the given file name and
    records, per process, the largest VmHWM (peak resident set) and CPU time
    seen. Terraform starts a fresh provider process for each phase of a
    command (validate, plan/refresh, apply), so the peak is the max over all
    of them; a process is sampled every `interval` seconds while it lives."""

    def __init__(self, exe_name: str, interval: float = 0.01):
        self.exe_name = exe_name
        # Only descendants of this process count (set once Terraform runs):
        # other provider processes on the machine (tests, other runs) do not.
        self.root: int | None = None
        self.interval = interval
        self.procs: dict[int, dict] = {}
        self._skip: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _sample(self, pid: int) -> None:
        try:
            with open(f"/proc/{pid}/status") as f:
                status = f.read()
        except OSError:
            return
        hwm = rss = anon = 0
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
            elif line.startswith("VmRSS:"):
                rss = int(line.split()[1])
            elif line.startswith("RssAnon:"):
                anon = int(line.split()[1])
        p = self.procs[pid]
        p["hwm_kib"] = max(p["hwm_kib"], hwm, rss)
        # The private part of the resident set (heap, stacks, relocated
        # data), as opposed to file pages of the binary shared through the
        # page cache. The kernel keeps no high-water mark for it: sampled.
        p["anon_kib"] = max(p["anon_kib"], anon)
        cpu = proc_cpu_seconds(pid)
        if cpu:
            p["cpu_s"] = max(p["cpu_s"], cpu)

    def _run(self) -> None:
        while True:
            for name in os.listdir("/proc"):
                if not name.isdigit():
                    continue
                pid = int(name)
                if pid in self._skip:
                    continue
                if pid not in self.procs:
                    if self.root is None:
                        continue
                    try:
                        exe = os.readlink(f"/proc/{pid}/exe")
                    except OSError:
                        continue  # not ours to read, or already gone
                    if os.path.basename(exe).removesuffix(" (deleted)") != self.exe_name:
                        self._skip.add(pid)
                        continue
                    if not descends_from(pid, self.root):
                        self._skip.add(pid)
                        continue
                    self.procs[pid] = {"hwm_kib": 0, "anon_kib": 0, "cpu_s": 0.0}
                self._sample(pid)
            if self._stop.is_set():
                return
            time.sleep(self.interval)

    def summary(self) -> dict:
        hwm = [p["hwm_kib"] for p in self.procs.values()]
        anon = [p["anon_kib"] for p in self.procs.values()]
        return {
            "processes": len(self.procs),
            "peak_rss_mib": round(max(hwm) / 1024, 1) if hwm else None,
            "peak_anon_mib": round(max(anon) / 1024, 1) if anon else None,
            "provider_cpu_s": round(sum(p["cpu_s"] for p in self.procs.values()), 2),
        }


# ---------------------------------------------------------------- handshake


def time_to_handshake(binary: Path, cert_pem: str, runs: int) -> dict:
    """Median time from exec to the first line on stdout (the go-plugin
    handshake line), and the peak RSS shortly after it."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "TF_PLUGIN_MAGIC_COOKIE": MAGIC,
        "PLUGIN_PROTOCOL_VERSIONS": "5,6",
        "PLUGIN_CLIENT_CERT": cert_pem,
        "PLUGIN_MIN_PORT": "10000",
        "PLUGIN_MAX_PORT": "25000",
    }
    times, idle_rss, line = [], [], ""
    for _ in range(runs):
        start = time.perf_counter()
        p = subprocess.Popen([str(binary)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, env=env)
        line = p.stdout.readline().decode(errors="replace").strip()
        times.append(time.perf_counter() - start)
        time.sleep(0.2)
        try:
            with open(f"/proc/{p.pid}/status") as f:
                for l in f:
                    if l.startswith("VmHWM:"):
                        idle_rss.append(int(l.split()[1]) / 1024)
        except OSError:
            pass
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(5)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        p.stdout.close()
        p.stdin.close()
        if not line.startswith("1|"):
            raise SystemExit(f"bench: {binary} printed no handshake line (got {line!r})")
    fields = line.split("|")
    return {
        "runs": runs,
        "handshake_ms_median": round(statistics.median(times) * 1000, 2),
        "handshake_ms_min": round(min(times) * 1000, 2),
        "handshake_ms_all": [round(t * 1000, 2) for t in times],
        "protocol": fields[1] if len(fields) > 1 else None,
        "idle_rss_mib": round(statistics.median(idle_rss), 1) if idle_rss else None,
    }


def client_cert(path: Path) -> str:
    """A throwaway ECDSA P-521 self-signed certificate, as Terraform sends."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP521R1())
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "HashiCorp"),
                      x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .add_extension(x509.KeyUsage(True, False, True, False, False, True, False, False, False), True)
            .sign(key, hashes.SHA512()))
    pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    path.write_text(pem)
    return pem


# ---------------------------------------------------------------- terraform


class Proxy:
    def __init__(self, url: str):
        self.url = url

    def reset(self) -> None:
        urllib.request.urlopen(urllib.request.Request(f"{self.url}/__proxy/reset", method="POST", data=b"")).read()

    def stats(self) -> dict:
        return json.loads(urllib.request.urlopen(f"{self.url}/__proxy/stats").read())

    def timeline(self) -> list:
        return json.loads(urllib.request.urlopen(f"{self.url}/__proxy/timeline").read())

    def configure(self, cfg: dict) -> None:
        req = urllib.request.Request(f"{self.url}/__proxy/config", method="PUT", data=json.dumps(cfg).encode())
        urllib.request.urlopen(req).read()


# What the proxy's real-AWS mode sets (tools/aws_proxy.py REAL_AWS).
REAL_AWS_KEYS = ("latency_ms", "iam_propagation_seconds", "creating_seconds", "deleting_seconds",
                 "create_rate_per_second")
# Calls that must follow one another on the critical path of a create: the
# role, its policy, then (after propagation) CreateDeliveryStream, then the
# DescribeDeliveryStream that sees ACTIVE; of a delete, the same pipeline
# taken down: the delete, the describe that sees it gone, then the role's
# policy and the role (a role goes only once no stream can use it, which
# is also the order Terraform gives the hand-wired resources).
APPLY_ROUND_TRIPS = 4
DESTROY_ROUND_TRIPS = 4


def critical_path(n: int, cfg: dict, parallelism: int = PARALLELISM) -> dict:
    """The least wall time real-AWS mode allows for N streams: no provider
    can beat it. Terraform works on at most `parallelism` resources at once,
    and a resource holds its slot until its stream is ACTIVE (or gone), so N
    streams take ceil(N / parallelism) waves, each paying propagation,
    CREATING and the dependent round trips. The proxy accepts at most `rate`
    creates in any one second, so the first wave's W creates spread over
    floor((W - 1) / rate) seconds; each later wave starts as slots free up
    and inherits that spread, paying no more of it."""
    lat = cfg["latency_ms"] / 1000
    rate = cfg["create_rate_per_second"]
    waves = -(-n // parallelism)
    wave = min(n, parallelism)
    spread = (wave - 1) // rate if rate else 0
    return {
        "apply": round(waves * (cfg["iam_propagation_seconds"] + cfg["creating_seconds"] + APPLY_ROUND_TRIPS * lat)
                       + spread, 2),
        "destroy": round(waves * (cfg["deleting_seconds"] + DESTROY_ROUND_TRIPS * lat), 2),
    }


class Terraform:
    def __init__(self, workdir: Path, env: dict, logdir: Path):
        self.workdir = workdir
        self.env = env
        self.logdir = logdir

    def run(self, label: str, *args: str, ok=(0,), sampler: ProviderSampler | None = None) -> tuple[float, int, float]:
        """Runs terraform; returns (wall seconds, exit code, CPU seconds of
        terraform and every process it reaped, providers included)."""
        out = self.logdir / f"{label}.log"
        cmd = [str(REPO / "scripts/terraform"), f"-chdir={self.workdir}", *args]
        with open(out, "w") as f:
            start = time.perf_counter()
            p = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT, env=self.env, stdin=subprocess.DEVNULL)
            if sampler is not None:
                sampler.root = p.pid
            _, status, ru = os.wait4(p.pid, 0)
            wall = time.perf_counter() - start
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode not in ok:
            tail = out.read_text()[-3000:]
            raise SystemExit(f"bench: terraform {' '.join(args[:1])} failed ({p.returncode}) in {self.workdir}; "
                             f"log {out}:\n{tail}")
        return wall, p.returncode, ru.ru_utime + ru.ru_stime


def measure_phase(tf: "Terraform", px: "Proxy", moto_pid: int, proxy_pid: int, exe: str, n: int,
                  label: str, argv: list[str], ok: tuple) -> dict:
    """Runs one terraform command of the pipeline and returns its figures."""
    px.reset()
    moto_cpu0, proxy_cpu0 = proc_cpu_seconds(moto_pid), proc_cpu_seconds(proxy_pid)
    with ProviderSampler(exe) as s:
        load0 = os.getloadavg()[0]
        wall, code, tf_cpu = tf.run(label, *argv, ok=ok, sampler=s)
    stats = px.stats()
    summ = s.summary()
    return {
        "wall_s": round(wall, 3),
        "exit_code": code,
        "api_calls": stats.get("total", 0),
        "api_calls_per_stream": round(stats.get("total", 0) / n, 2),
        "by_action": dict(sorted(stats.get("by_action", {}).items())),
        "provider_processes": summ["processes"],
        "peak_rss_mib": summ["peak_rss_mib"],
        "peak_anon_mib": summ["peak_anon_mib"],
        "provider_cpu_s": summ["provider_cpu_s"],
        "terraform_cpu_s": round(max(tf_cpu - summ["provider_cpu_s"], 0), 2),
        "moto_cpu_s": round(proc_cpu_seconds(moto_pid) - moto_cpu0, 2),
        "proxy_cpu_s": round(proc_cpu_seconds(proxy_pid) - proxy_cpu0, 2),
        "loadavg_1m_before": round(load0, 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="only N=1 and N=10")
    ap.add_argument("--provider-dir", required=True, help="directory holding our terraform-provider-firehose")
    ap.add_argument("--proxy", default=str(REPO / "tools/aws_proxy.py"), help="the counting AWS proxy")
    ap.add_argument("--out", default=str(BENCH / "results"), help="results directory")
    ap.add_argument("--keep", action="store_true", help="keep the scratch directory")
    ap.add_argument("--real-aws", action="store_true", help="also run the pipelines in the proxy's real-AWS mode")
    ap.add_argument("--sizes", help="comma-separated N to compare (default 1,10,40; --quick: 1,10)")
    ap.add_argument("--scale", type=int, default=SCALE_N,
                    help=f"N for the scale run across {SCALE_REGIONS} regions, ours and the floor only (0: none)")
    ap.add_argument("--providers", default="ours,aws", help="which pipelines besides the floor (ours,aws)")
    ap.add_argument("--no-moto-mode", action="store_true", help="skip the moto-mode pipelines (with --real-aws)")
    args = ap.parse_args()

    sizes = [int(x) for x in args.sizes.split(",")] if args.sizes else [1, 10] if args.quick else [1, 10, 40]
    if args.quick:
        args.scale = 0
    ours_dir = Path(args.provider_dir).resolve()
    ours_bin = ours_dir / "terraform-provider-firehose"
    proxy_script = Path(args.proxy)
    for f, what in [(ours_bin, "our provider (cargo build --release)"), (AWS_ZIP, "the AWS provider zip"),
                    (WORKATO_BIN, "the workato provider"), (proxy_script, "the AWS proxy")]:
        if not f.exists():
            raise SystemExit(f"bench: {what} missing: {f}")

    scratch = Path(tempfile.mkdtemp(prefix="firehose-bench-"))
    logdir = scratch / "logs"
    logdir.mkdir()
    log(f"scratch directory {scratch}")
    children: list[subprocess.Popen] = []

    def cleanup():
        for c in children:
            if c.poll() is None:
                c.terminate()
                try:
                    c.wait(5)
                except subprocess.TimeoutExpired:
                    c.kill()
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)

    try:
        results = run(args, sizes, ours_dir, ours_bin, proxy_script, scratch, logdir, children)
    finally:
        cleanup()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    log(f"wrote {out / 'results.json'}")
    subprocess.run([sys.executable, str(BENCH / "report.py"), str(out / "results.json")], check=True)


def run(args, sizes, ours_dir, ours_bin, proxy_script, scratch, logdir, children) -> dict:
    # ---- binaries
    bins = scratch / "bin"
    bins.mkdir()
    subprocess.run(["unzip", "-q", "-o", str(AWS_ZIP), "-d", str(bins / "aws")], check=True)
    aws_bin = bins / "aws" / AWS_EXE
    workato_dir = bins / "workato"
    workato_dir.mkdir()
    workato_bin = workato_dir / "terraform-provider-workato"
    shutil.copyfile(WORKATO_BIN, workato_bin)
    workato_bin.chmod(0o755)
    cert = client_cert(scratch / "client.pem")

    providers = {
        "ours": {"binary": ours_bin, "exe": ours_bin.name},
        "aws": {"binary": aws_bin, "exe": AWS_EXE},
        "workato": {"binary": workato_bin, "exe": workato_bin.name},
    }

    results: dict = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "kernel": platform.release(),
                    "python": platform.python_version()},
        "ours_binary": str(ours_bin),
        "git": git_state(),
        "parallelism": PARALLELISM,
        "plan_runs": PLAN_RUNS,
        "sizes": sizes,
        "proxy": str(proxy_script),
        "providers": {},
        "pipelines": {},
    }

    # ---- startup to handshake, binary size (machine otherwise idle)
    for name, p in providers.items():
        runs = 3 if name == "aws" else 15
        p["binary"].stat()
        info = {"binary_mib": round(p["binary"].stat().st_size / 2**20, 2)}
        time_to_handshake(p["binary"], cert, 1)  # warm the page cache
        info.update(time_to_handshake(p["binary"], cert, runs))
        results["providers"][name] = info
        log(f"{name}: {info['binary_mib']} MiB, handshake {info['handshake_ms_median']} ms (median of {runs})")

    # ---- moto + proxy
    moto_port = free_port()
    moto = subprocess.Popen([str(REPO / "scripts/moto-server"), "-H", "127.0.0.1", "-p", str(moto_port)],
                            stdout=open(logdir / "moto.log", "w"), stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)
    children.append(moto)
    wait_port(moto_port)
    moto_url = f"http://127.0.0.1:{moto_port}"
    port_file = scratch / "proxy.port"
    proxy = subprocess.Popen([str(PY), str(proxy_script), "--upstream", moto_url, "--port", "0",
                              "--port-file", str(port_file)],
                             stdout=open(logdir / "proxy.log", "w"), stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL)
    children.append(proxy)
    deadline = time.monotonic() + 30
    while not (port_file.exists() and port_file.read_text().strip()):
        if proxy.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"bench: the proxy did not start; see {logdir / 'proxy.log'}")
        time.sleep(0.05)
    proxy_url = f"http://127.0.0.1:{int(port_file.read_text().strip())}"
    wait_port(int(port_file.read_text().strip()))
    px = Proxy(proxy_url)
    px.stats()
    log(f"moto at {moto_url}, proxy at {proxy_url}")

    # ---- the destination bucket (one, shared by every stream on both sides)
    import boto3

    bucket = "firehose-bench-data"
    boto3.client("s3", endpoint_url=moto_url, region_name="us-east-1", aws_access_key_id="bench",
                 aws_secret_access_key="bench").create_bucket(Bucket=bucket)
    bucket_arn = f"arn:aws:s3:::{bucket}"

    # ---- Terraform configuration
    mirror = scratch / "mirror"
    aws_mirror = mirror / "registry.terraform.io/hashicorp/aws"
    aws_mirror.mkdir(parents=True)
    (aws_mirror / AWS_ZIP.name).symlink_to(AWS_ZIP)
    rc = scratch / "terraform.rc"
    rc.write_text(f"""
provider_installation {{
  dev_overrides {{
    "seedworks/firehose" = "{ours_dir}"
    "local/workato"      = "{workato_dir}"
  }}
  filesystem_mirror {{
    path    = "{mirror}"
    include = ["registry.terraform.io/hashicorp/aws"]
  }}
  direct {{
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }}
}}
""")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "TF_"))}
    env.update({
        "TF_CLI_CONFIG_FILE": str(rc),
        "TF_IN_AUTOMATION": "1",
        "CHECKPOINT_DISABLE": "1",
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_REGION": "us-east-1",
    })

    names = [p for p in args.providers.split(",") if p] + ["floor"]
    providers["floor"] = {"exe": "-"}  # terraform_data: no provider process
    work = {}
    for name in ("ours", "aws", "floor"):
        d = scratch / name
        shutil.copytree(BENCH / "tf" / name, d)
        work[name] = Terraform(d, env, logdir)
    log("terraform init (AWS provider from the filesystem mirror)")
    init_wall, _, _ = work["aws"].run("aws-init", "init", "-input=false", "-no-color")
    results["aws_init_s"] = round(init_wall, 2)
    results["pipeline_names"] = names

    # ---- schema load: peak RSS while Terraform reads each provider's schema
    schema_cfg = {
        "ours": 'terraform {\n  required_providers {\n    firehose = { source = "seedworks/firehose" }\n  }\n}\n',
        "workato": 'terraform {\n  required_providers {\n    workato = { source = "local/workato" }\n  }\n}\n',
    }
    for name in ("ours", "aws", "workato"):
        if name == "aws":
            tf = work["aws"]
        else:
            d = scratch / f"schema-{name}"
            d.mkdir()
            (d / "main.tf").write_text(schema_cfg[name])
            tf = Terraform(d, env, logdir)
        with ProviderSampler(providers[name]["exe"]) as s:
            wall, _, _ = tf.run(f"{name}-schema", "providers", "schema", "-json", sampler=s)
        summ = s.summary()
        results["providers"][name]["schema_wall_s"] = round(wall, 2)
        results["providers"][name]["schema_peak_rss_mib"] = summ["peak_rss_mib"]
        log(f"{name}: providers schema -json {wall:.2f}s, provider peak RSS {summ['peak_rss_mib']} MiB")

    # ---- the pipelines
    if not args.no_moto_mode:
        for n in sizes:
            for name in names:
                row = pipeline(work[name], px, moto.pid, proxy.pid, providers[name]["exe"], name, n, proxy_url,
                               bucket_arn)
                results["pipelines"].setdefault(str(n), {})[name] = row
    if "ours" in names and not args.no_moto_mode:
        results["delivery_health"] = delivery_health_cost(sizes, work["ours"], px, moto.pid, proxy.pid,
                                                          providers["ours"]["exe"], proxy_url, bucket_arn, results)
    if args.scale and not args.no_moto_mode:
        results["scale"] = scale_run(args.scale, work, px, moto.pid, proxy.pid, providers, proxy_url, bucket_arn)
    if args.real_aws:
        results["real_aws"] = real_aws_mode(sizes, names, work, px, moto.pid, proxy.pid, providers, proxy_url,
                                            bucket_arn, logdir)
    return results


def commands(n, proxy_url, bucket_arn, regions=1, failing_ok=False, extra=()) -> list[tuple[str, list[str], tuple]]:
    """A pipeline's three commands: (phase, terraform arguments, accepted
    exit codes). With failing_ok a provider's failure (exit 1) is recorded,
    not fatal; `extra` are more -var arguments."""
    common = ["-input=false", "-no-color", f"-parallelism={PARALLELISM}"]
    tfvars = ["-var", f"n={n}", "-var", f"endpoint={proxy_url}", "-var", f"bucket_arn={bucket_arn}",
              "-var", f"regions={regions}", *extra]
    fail = (1,) if failing_ok else ()
    return [
        ("apply", ["apply", "-auto-approve", *common, *tfvars], (0, *fail)),
        ("plan", ["plan", "-refresh=true", "-detailed-exitcode", *common, *tfvars], (0, 2, *fail)),
        ("destroy", ["destroy", "-auto-approve", *common, *tfvars], (0, *fail)),
    ]


def pipeline(tf, px, moto_pid, proxy_pid, exe, name, n, proxy_url, bucket_arn, regions=1, label="",
             extra=()) -> dict:
    """Apply, a no-change plan (PLAN_RUNS times) and destroy of N streams."""
    row = {}
    for phase, argv, ok in commands(n, proxy_url, bucket_arn, regions, extra=extra):
        # The no-change plan changes nothing, so it is run PLAN_RUNS times and the run
        # with the median wall time is kept: one run is at the mercy of whatever else
        # the 2 cores are doing at that moment.
        runs = [measure_phase(tf, px, moto_pid, proxy_pid, exe, n,
                              f"{label}{name}-n{n}-{phase}-{i}", argv, ok)
                for i in range(PLAN_RUNS if phase == "plan" else 1)]
        runs.sort(key=lambda r: r["wall_s"])
        row[phase] = runs[len(runs) // 2]
        if len(runs) > 1:
            row[phase]["wall_s_all_runs"] = [r["wall_s"] for r in runs]
            for k in ("peak_rss_mib", "peak_anon_mib"):
                row[phase][k] = max((r[k] for r in runs if r[k] is not None), default=None)
        code = row[phase]["exit_code"]
        if phase == "plan" and code == 2:
            row[phase]["warning"] = "plan after apply was not empty"
            log(f"WARNING: {name} N={n}: the plan after apply shows changes")
        r = row[phase]
        log(f"{label}{name} N={n} {phase}: {r['wall_s']:.2f}s, {r['api_calls']} API calls "
            f"({r['api_calls_per_stream']}/stream), peak RSS {r['peak_rss_mib']} MiB "
            f"in {r['provider_processes']} processes; CPU provider {r['provider_cpu_s']}s "
            f"terraform {r['terraform_cpu_s']}s moto {r['moto_cpu_s']}s proxy {r['proxy_cpu_s']}s")
    return row


def delivery_health_cost(sizes, tf, px, moto_pid, proxy_pid, exe, proxy_url, bucket_arn, results) -> dict:
    """Our pipeline again with `delivery_health = true`: what reading each
    stream's delivery errors adds to the no-change plan (its refresh)."""
    out = {}
    for n in sizes:
        row = pipeline(tf, px, moto_pid, proxy_pid, exe, "ours", n, proxy_url, bucket_arn, label="health-",
                       extra=["-var", "delivery_health=true"])
        off = results["pipelines"][str(n)]["ours"]["plan"]
        on = row["plan"]
        out[str(n)] = {"plan_off": off, "plan_on": on}
        log(f"delivery_health N={n}: plan {off['wall_s']:.2f}s -> {on['wall_s']:.2f}s "
            f"({on['wall_s'] / off['wall_s']:.2f}x), API calls per stream "
            f"{off['api_calls_per_stream']} -> {on['api_calls_per_stream']}")
    return out


def scale_run(n, work, px, moto_pid, proxy_pid, providers, proxy_url, bucket_arn) -> dict:
    """N streams across SCALE_REGIONS regions, ours and Terraform's floor: is
    the time per stream still what it is at 40?"""
    shutil.copyfile(BENCH / "tf" / "scale" / "ours.tf", work["ours"].workdir / "scale.tf")
    out = {"n": n, "regions": SCALE_REGIONS, "pipelines": {}}
    try:
        for name in ("ours", "floor"):
            out["pipelines"][name] = pipeline(work[name], px, moto_pid, proxy_pid, providers[name]["exe"], name, n,
                                              proxy_url, bucket_arn, regions=SCALE_REGIONS, label="scale-")
    finally:
        (work["ours"].workdir / "scale.tf").unlink()
    return out


def real_aws_mode(sizes, names, work, px, moto_pid, proxy_pid, providers, proxy_url, bucket_arn, logdir) -> dict:
    """The pipelines again under real-AWS behaviour, each apply and destroy
    against its critical path. A provider that fails a phase is recorded as
    failing, not retried."""
    # The proxy's own checking of every request against AWS's API models
    # (tests need it) costs CPU the 30 ms per call does not account for.
    px.configure({"real_aws": True, "validate_models": False})
    cfg = {k: px.stats()["config"][k] for k in REAL_AWS_KEYS}
    out: dict = {"config": cfg, "pipelines": {}}
    try:
        for n in sizes:
            floor = critical_path(n, cfg)
            for name in names:
                tf = work[name]
                row = {}
                for phase, argv, ok in commands(n, proxy_url, bucket_arn, failing_ok=True):
                    r = measure_phase(tf, px, moto_pid, proxy_pid, providers[name]["exe"], n,
                                      f"real-{name}-n{n}-{phase}", argv, ok)
                    # Every call with its start and end, for where the time went.
                    (logdir / f"real-{name}-n{n}-{phase}.timeline.json").write_text(json.dumps(px.timeline()))
                    if phase in floor and name != "floor":
                        r["critical_path_s"] = floor[phase]
                        r["ratio_to_critical_path"] = round(r["wall_s"] / floor[phase], 2)
                    if r["exit_code"] == 1:
                        r["failed"] = True
                    row[phase] = r
                    log(f"real-AWS {name} N={n} {phase}: {r['wall_s']:.2f}s"
                        + (f" = {r['ratio_to_critical_path']}x the critical path {floor[phase]}s"
                           if "critical_path_s" in r else "")
                        + (" FAILED" if r.get("failed") else ""))
                out["pipelines"].setdefault(str(n), {})[name] = row
    finally:
        px.configure({"real_aws": False, "validate_models": True, **{k: 0 for k in REAL_AWS_KEYS}})
    return out


if __name__ == "__main__":
    main()
