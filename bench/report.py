"""Writes bench/results/results.md and chart.svg from results.json.

Every row is a ratio against the AWS-provider baseline of the same run
(ours / AWS: below 1 is better for ours), with the absolute figures beside
it. Usage: report.py RESULTS_JSON
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

# (label, ratio limit, how the target reads). Ratio = ours / baseline.
TARGETS = {
    "apply": (1 / 3, "≥3x faster (ratio ≤ 0.333) at N=40"),
    "plan": (1 / 5, "≥5x faster (ratio ≤ 0.2) at N=40"),
    "rss": (1 / 10, "≤ 1/10 of the AWS provider (ratio ≤ 0.1)"),
    "startup": (1 / 20, "≥20x faster than either Go provider (ratio ≤ 0.05)"),
    "refresh_calls": (1 / 2, "≤ half the AWS API calls per stream (ratio ≤ 0.5)"),
}
# Terraform core CPU per stream spent on our resource (beyond terraform_data).
CORE_MS_PER_STREAM = 5.0
# Time per stream at the scale run's N against N=40.
SCALE_LIMIT = 1.2
# Real-AWS mode: wall time against the critical path.
CRITICAL_LIMIT = 1.15
# With --quick the largest N is 10: the apply/plan targets are then checked there.
QUICK_NOTE = " (--quick run: checked at N=10)"


def fmt(x, unit="") -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        if x >= 100:
            s = f"{x:.0f}"
        elif x >= 10:
            s = f"{x:.1f}"
        else:
            s = f"{x:.2f}"
    else:
        s = str(x)
    return f"{s}{unit}"


def ratio(a, b):
    if a is None or b in (None, 0):
        return None
    return a / b


def rfmt(r) -> str:
    if r is None:
        return "–"
    if r < 1:
        return f"{r:.3f} ({1 / r:.1f}x less)" if r > 0 else "0"
    return f"{r:.2f}"


def verdict(r, target_key, applies=True) -> str:
    if not applies:
        return ""
    if r is None:
        return "n/a"
    limit, _ = TARGETS[target_key]
    return "**met**" if r <= limit + 1e-9 else "**missed**"


def build_rows(res: dict) -> list[dict]:
    """One row per comparison: label, ours, baseline, unit, ratio, target key."""
    rows = []
    sizes = res["sizes"]
    big = max(sizes)
    pl = res["pipelines"]
    for phase, what in [("apply", "terraform apply"), ("plan", "terraform plan (refresh, no changes)"),
                        ("destroy", "terraform destroy")]:
        for n in sizes:
            o, a = pl[str(n)]["ours"][phase], pl[str(n)]["aws"][phase]
            rows.append({
                "group": "wall time", "label": f"{what}, N={n}", "short": f"{phase} N={n}",
                "ours": o["wall_s"], "base": a["wall_s"], "unit": " s",
                "target": phase if phase in ("apply", "plan") and n == big else None,
            })
    for phase, what in [("plan", "refresh (plan)"), ("apply", "apply"), ("destroy", "destroy")]:
        for n in sizes:
            o, a = pl[str(n)]["ours"][phase], pl[str(n)]["aws"][phase]
            rows.append({
                "group": "AWS API calls per stream", "label": f"API calls per stream, {what}, N={n}",
                "short": f"calls/stream {phase} N={n}",
                "ours": o["api_calls_per_stream"], "base": a["api_calls_per_stream"], "unit": "",
                "target": "refresh_calls" if phase == "plan" else None,
            })
    for n in sizes:
        o = max(pl[str(n)]["ours"][p]["peak_rss_mib"] or 0 for p in ("apply", "plan", "destroy"))
        a = max(pl[str(n)]["aws"][p]["peak_rss_mib"] or 0 for p in ("apply", "plan", "destroy"))
        rows.append({"group": "peak RSS", "label": f"provider peak RSS over apply/plan/destroy, N={n}",
                     "short": f"peak RSS N={n}", "ours": o, "base": a, "unit": " MiB", "target": "rss"})
    # Informational: the private (anonymous) part of the peak, without the
    # binary's file pages that the page cache shares.
    o = max(pl[str(big)]["ours"][p].get("peak_anon_mib") or 0 for p in ("apply", "plan", "destroy"))
    a = max(pl[str(big)]["aws"][p].get("peak_anon_mib") or 0 for p in ("apply", "plan", "destroy"))
    if o and a:
        rows.append({"group": "peak RSS", "label": f"provider peak private memory (RssAnon), N={big}",
                     "short": f"private mem N={big}", "ours": o, "base": a, "unit": " MiB", "target": None})
    pr = res["providers"]
    rows.append({"group": "peak RSS", "label": "provider peak RSS, `terraform providers schema -json`",
                 "short": "RSS schema", "ours": pr["ours"].get("schema_peak_rss_mib"),
                 "base": pr["aws"].get("schema_peak_rss_mib"), "unit": " MiB", "target": "rss",
                 "third": pr["workato"].get("schema_peak_rss_mib")})
    rows.append({"group": "peak RSS", "label": "provider RSS idle after handshake",
                 "short": "RSS idle", "ours": pr["ours"]["idle_rss_mib"], "base": pr["aws"]["idle_rss_mib"],
                 "unit": " MiB", "target": "rss", "third": pr["workato"]["idle_rss_mib"]})
    rows.append({"group": "startup", "label": "exec to handshake line (median)", "short": "startup",
                 "ours": pr["ours"]["handshake_ms_median"], "base": pr["aws"]["handshake_ms_median"],
                 "unit": " ms", "target": "startup", "third": pr["workato"]["handshake_ms_median"]})
    rows.append({"group": "size", "label": "binary size", "short": "binary size",
                 "ours": pr["ours"]["binary_mib"], "base": pr["aws"]["binary_mib"], "unit": " MiB",
                 "target": None, "third": pr["workato"]["binary_mib"]})
    for r in rows:
        r["ratio"] = ratio(r["ours"], r["base"])
        r["third_ratio"] = ratio(r.get("third"), r["base"])
        r["vs_third"] = ratio(r["ours"], r.get("third"))
    return rows


def markdown(res: dict, rows: list[dict]) -> str:
    big = max(res["sizes"])
    out = [
        "# Benchmark: `firehose_delivery_stream` vs the AWS provider 3.39.0",
        "",
        f"Run {res['date']} on {res['machine']['cpus']} CPUs (Linux {res['machine']['kernel']}), "
        f"`-parallelism={res['parallelism']}`, one moto server behind the counting proxy. "
        + (f"Provider built from `{res['git']}`. " if res.get("git") else "")
        + "Generated by `bench/run` — do not edit by hand.",
        "",
        "Ratio = ours / AWS provider (same run); below 1 is better for ours. "
        + (f"The no-change plan is run {res['plan_runs']} times per provider and N; its rows are the "
           "median run. " if res.get("plan_runs", 1) > 1 else "")
        + "The third provider (workato 0.16.0, Go terraform-plugin-framework) joins the startup, "
          "memory and size rows; its column is its absolute figure and its ratio to the AWS provider.",
        "",
        "| metric | ours | AWS 3.39.0 | ratio ours/AWS | workato (ratio /AWS) | target | |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for r in rows:
        third = "" if r.get("third") is None else f"{fmt(r['third'], r['unit'])} ({r['third_ratio']:.2f})"
        tgt = TARGETS[r["target"]][1] if r["target"] else ""
        if r["target"] in ("apply", "plan") and big != 40:
            tgt += QUICK_NOTE
        v = ""
        if r["target"] == "startup":
            worst = max(r["ratio"] or 0, r["vs_third"] or 0)
            v = "**met**" if worst <= TARGETS["startup"][0] else "**missed**"
            tgt += f"; ours/workato = {r['vs_third']:.3f}" if r["vs_third"] is not None else ""
        elif r["target"] == "rss":
            v = verdict(r["ratio"], "rss")
        elif r["target"]:
            v = verdict(r["ratio"], r["target"])
        out.append(f"| {r['label']} | {fmt(r['ours'], r['unit'])} | {fmt(r['base'], r['unit'])} | "
                   f"{rfmt(r['ratio'])} | {third} | {tgt} | {v} |")
    out += ["", "## Targets", ""]
    for r in rows:
        if r["target"] in ("apply", "plan") and r["target"]:
            out.append(f"- {r['label']}: {1 / r['ratio']:.2f}x faster than the AWS build "
                       f"(target ≥ {1 / TARGETS[r['target']][0]:.0f}x) — {verdict(r['ratio'], r['target'])}")
    out += plan_cost_section(res)
    out += health_section(res)
    out += ["", "## Per phase (absolute)", "",
            "CPU seconds are per phase: provider processes (sampled from /proc), Terraform core "
            "(the rest of what `terraform` and its reaped children used), moto and the proxy; the 1-minute "
            "load average before each phase shows how busy the machine was (other work included).",
            "", "| N | provider | phase | wall s | API calls | per stream | provider procs | peak RSS MiB | "
            "CPU provider | CPU terraform | CPU moto | CPU proxy | load avg before |",
            "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n in res["sizes"]:
        for name in res["pipelines"][str(n)]:
            for phase in ("apply", "plan", "destroy"):
                p = res["pipelines"][str(n)][name][phase]
                out.append(f"| {n} | {name} | {phase} | {p['wall_s']:.2f} | {p['api_calls']} | "
                           f"{p['api_calls_per_stream']} | {p['provider_processes']} | {fmt(p['peak_rss_mib'])} | "
                           f"{p['provider_cpu_s']} | {p['terraform_cpu_s']} | {p['moto_cpu_s']} | {p['proxy_cpu_s']} | "
                           f"{p.get('loadavg_1m_before', '–')} |")
    out += ["", f"## API calls on refresh (plan), N={big}, by action", "",
            "| action | ours | AWS 3.39.0 |", "|---|---:|---:|"]
    o = res["pipelines"][str(big)]["ours"]["plan"]["by_action"]
    a = res["pipelines"][str(big)]["aws"]["plan"]["by_action"]
    for k in sorted(set(o) | set(a)):
        out.append(f"| {k} | {o.get(k, '')} | {a.get(k, '')} |")
    out += ["", "## Startup to handshake (all runs, ms)", ""]
    for name, p in res["providers"].items():
        out.append(f"- {name}: protocol {p['protocol']}, binary {p['binary_mib']} MiB, "
                   f"runs {p['handshake_ms_all']}")
    if "scale" in res:
        out += scale_section(res)
    if "real_aws" in res:
        out += real_aws_section(res["real_aws"])
    notes = [f"{n}/{name}: {p[ph]['warning']}" for n, v in res["pipelines"].items() for name, p in v.items()
             for ph in p if "warning" in p[ph]]
    if notes:
        out += ["", "## Warnings", ""] + [f"- {x}" for x in notes]
    return "\n".join(out) + "\n"


def core_ms_per_stream(pl: dict, name: str, n: int) -> float | None:
    """Terraform core CPU per stream spent on a pipeline's resources in the
    no-change plan, beyond what it spends on N terraform_data (its floor)."""
    if name not in pl or "floor" not in pl:
        return None
    return (pl[name]["plan"]["terraform_cpu_s"] - pl["floor"]["plan"]["terraform_cpu_s"]) * 1000 / n


def plan_cost_section(res: dict) -> list[str]:
    """The no-change plan against Terraform's own floor: N terraform_data."""
    big = max(res["sizes"])
    out = ["", "## Plan cost against Terraform's floor", "",
           "`floor` is the same N as `terraform_data` resources, which call no API and start no provider: "
           "what Terraform itself costs. Terraform core CPU per stream is the `terraform` process's CPU in "
           "the no-change plan beyond the floor's, divided by N (for the AWS provider a stream is five "
           f"resources). Target for ours: ≤ {CORE_MS_PER_STREAM:.0f} ms per stream at N={big}.", "",
           "| N | floor plan s | ours plan s | AWS plan s | ours over floor s | AWS over floor s | "
           "core CPU ms/stream ours | core CPU ms/stream AWS | |", "|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for n in res["sizes"]:
        pl = res["pipelines"][str(n)]
        if "floor" not in pl:
            continue
        f = pl["floor"]["plan"]["wall_s"]
        w = {k: pl[k]["plan"]["wall_s"] if k in pl else None for k in ("ours", "aws")}
        over = {k: (v - f if v is not None else None) for k, v in w.items()}
        core = {k: core_ms_per_stream(pl, k, n) for k in ("ours", "aws")}
        v = ("**met**" if core["ours"] is not None and core["ours"] <= CORE_MS_PER_STREAM else "**missed**") \
            if n == big else ""
        out.append(f"| {n} | {f:.2f} | {fmt(w['ours'])} | {fmt(w['aws'])} | {fmt(over['ours'])} | "
                   f"{fmt(over['aws'])} | {fmt(core['ours'])} | {fmt(core['aws'])} | {v} |")
    return out


def health_section(res: dict) -> list[str]:
    """The refresh cost of `delivery_health` (bench.py's delivery_health_cost)."""
    h = res.get("delivery_health")
    if not h:
        return []
    out = ["", "## Refresh cost of `delivery_health`", "",
           "Our pipeline's no-change plan (a refresh of every stream) with `delivery_health` off (the "
           "default) and on, same run: the added cost is one `logs:FilterLogEvents` per stream.", "",
           "| N | plan s off | plan s on | ratio on/off | API calls per stream off | on | FilterLogEvents |",
           "|---:|---:|---:|---:|---:|---:|---:|"]
    for n, r in h.items():
        off, on = r["plan_off"], r["plan_on"]
        out.append(f"| {n} | {off['wall_s']:.2f} | {on['wall_s']:.2f} | {on['wall_s'] / off['wall_s']:.2f} | "
                   f"{off['api_calls_per_stream']} | {on['api_calls_per_stream']} | "
                   f"{on['by_action'].get('logs:FilterLogEvents', 0)} |")
    return out


def scale_section(res: dict) -> list[str]:
    """N streams across regions: time per stream against N=40."""
    sc = res["scale"]
    n, base_n = sc["n"], 40 if "40" in res["pipelines"] else max(res["sizes"])
    base = res["pipelines"][str(base_n)]
    out = ["", f"## Scale: N={n} across {sc['regions']} regions", "",
           f"moto holds 50 delivery streams per region, so the {n} streams are spread over {sc['regions']} "
           f"regions, one provider configuration each (bench/tf/scale). Time per stream at N={n} against "
           f"N={base_n}; target ≤ {SCALE_LIMIT}x.", "",
           f"| pipeline | phase | wall s, N={n} | per stream ms | per stream ms, N={base_n} | ratio | "
           "provider procs | peak RSS MiB | API calls per stream | |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for name, row in sc["pipelines"].items():
        for phase in ("apply", "plan", "destroy"):
            r = row[phase]
            per = r["wall_s"] * 1000 / n
            b = base[name][phase]["wall_s"] * 1000 / base_n if name in base else None
            q = per / b if b else None
            v = ("**met**" if q is not None and q <= SCALE_LIMIT else "**missed**") if name == "ours" else ""
            out.append(f"| {name} | {phase} | {r['wall_s']:.2f} | {per:.1f} | {fmt(b)} | {fmt(q)} | "
                       f"{r['provider_processes']} | {fmt(r['peak_rss_mib'])} | {r['api_calls_per_stream']} | {v} |")
    return out


def real_aws_section(ra: dict) -> list[str]:
    """Apply and destroy against their critical path under real-AWS mode."""
    c = ra["config"]
    out = ["", "## Real-AWS mode: against the critical path", "",
           f"The proxy answers as AWS does (bench/README.md): {c['latency_ms']} ms per call, a new role usable "
           f"by Firehose {c['iam_propagation_seconds']} s after it or its policy was written, "
           f"{c['creating_seconds']} s CREATING, {c['deleting_seconds']} s DELETING, and at most "
           f"{c['create_rate_per_second']} CreateDeliveryStream calls per second. The critical path is the least "
           "time those allow with Terraform working on at most `-parallelism` resources at once: "
           "ceil(N / parallelism) waves, each of propagation + CREATING + 4 dependent round trips for apply "
           "(plus floor((streams in the first wave − 1)/rate) s once, as the proxy accepts `rate` creates in any "
           "one second), and DELETING + 4 round trips for destroy (the delete, the describe that sees it gone, the role's policy, the role). No provider can do "
           "better, and neither can Terraform: the second ratio adds to the path what Terraform alone takes "
           "for the same command on N `terraform_data` (the floor, same run). "
           f"Target for ours: ≤ {CRITICAL_LIMIT}x.", "",
           "| N | provider | apply s | critical path s | ratio | + Terraform's floor s | ratio | destroy s | "
           "critical path s | ratio | + Terraform's floor s | ratio | plan s | API calls (apply) |",
           "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n, by in ra["pipelines"].items():
        for name in (k for k in by if k != "floor"):
            r = by[name]
            a, d, p = r["apply"], r["destroy"], r["plan"]
            fail = lambda x: " (failed)" if x.get("failed") else ""
            cols = []
            for x, phase in ((a, "apply"), (d, "destroy")):
                with_tf = x["critical_path_s"] + by["floor"][phase]["wall_s"] if "floor" in by else None
                cols.append(f"{x['wall_s']:.2f}{fail(x)} | {x['critical_path_s']} | {x['ratio_to_critical_path']:.2f}x | "
                            f"{fmt(with_tf)} | " + (f"{x['wall_s'] / with_tf:.2f}x" if with_tf else "–"))
            out.append(f"| {n} | {name} | {cols[0]} | {cols[1]} | {p['wall_s']:.2f} | {a['api_calls']} |")
    return out


def svg(res: dict, rows: list[dict]) -> str:
    """Grouped horizontal bars of ratios on a log scale, 1.0 = AWS provider."""
    groups: list[tuple[str, list[dict]]] = []
    for r in rows:
        if not groups or groups[-1][0] != r["group"]:
            groups.append((r["group"], []))
        groups[-1][1].append(r)
    lo, hi = 0.001, 10.0
    left, width, bar, gap = 260, 560, 14, 4
    colors = {"ours": "#1f77b4", "workato": "#ff7f0e"}

    def x(v: float) -> float:
        v = min(max(v, lo), hi)
        return left + (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) * width

    y = 70
    body = []
    for gname, grows in groups:
        body.append(f'<text x="10" y="{y + 12}" font-weight="bold" font-size="13">{gname}</text>')
        y += 20
        for r in grows:
            bars = [("ours", r["ratio"])]
            if r.get("third_ratio") is not None:
                bars.append(("workato", r["third_ratio"]))
            h = len(bars) * (bar + 2)
            body.append(f'<text x="{left - 8}" y="{y + h / 2 + 4}" text-anchor="end" font-size="11">'
                        f'{r["short"]}</text>')
            for i, (who, v) in enumerate(bars):
                if v is None:
                    continue
                by = y + i * (bar + 2)
                x0, x1 = x(1.0), x(v)
                body.append(f'<rect x="{min(x0, x1):.1f}" y="{by}" width="{max(abs(x1 - x0), 1):.1f}" '
                            f'height="{bar}" fill="{colors[who]}"><title>{who}/AWS {r["short"]}: {v:.4g}</title></rect>')
                label = f"{v:.3g}"
                tx = x1 - 4 if v < 1 else x1 + 4
                anchor = "end" if v < 1 else "start"
                body.append(f'<text x="{tx:.1f}" y="{by + bar - 3}" font-size="10" text-anchor="{anchor}">{label}</text>')
            if r["target"]:
                limit = TARGETS[r["target"]][0]
                tx = x(limit)
                body.append(f'<line x1="{tx:.1f}" y1="{y - 1}" x2="{tx:.1f}" y2="{y + h + 1}" stroke="#d62728" '
                            f'stroke-width="2" stroke-dasharray="3,2"><title>target {limit:.3g}</title></line>')
            y += h + gap
        y += 8
    height = y + 40
    ticks = []
    for t in (0.001, 0.01, 0.1, 1, 10):
        tx = x(t)
        ticks.append(f'<line x1="{tx:.1f}" y1="60" x2="{tx:.1f}" y2="{y}" stroke="#ccc" />')
        ticks.append(f'<text x="{tx:.1f}" y="{y + 14}" font-size="11" text-anchor="middle">{t:g}</text>')
    ticks.append(f'<line x1="{x(1):.1f}" y1="60" x2="{x(1):.1f}" y2="{y}" stroke="#000" stroke-width="1.5" />')
    total_w = left + width + 60
    legend = (f'<rect x="{left}" y="38" width="12" height="12" fill="{colors["ours"]}"/>'
              f'<text x="{left + 16}" y="48" font-size="11">ours / AWS provider</text>'
              f'<rect x="{left + 150}" y="38" width="12" height="12" fill="{colors["workato"]}"/>'
              f'<text x="{left + 166}" y="48" font-size="11">workato (Go framework) / AWS provider</text>'
              f'<line x1="{left + 410}" y1="44" x2="{left + 430}" y2="44" stroke="#d62728" stroke-width="2" '
              f'stroke-dasharray="3,2"/><text x="{left + 434}" y="48" font-size="11">target</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{total_w}" height="{height}" '
            f'font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n'
            f'<text x="10" y="22" font-size="15" font-weight="bold">firehose_delivery_stream vs AWS provider 3.39.0 '
            f'— ratio to the AWS provider (log scale, &lt;1 is better), {res["date"][:10]}</text>\n'
            f'{legend}\n' + "\n".join(ticks) + "\n" + "\n".join(body) +
            f'\n<text x="{left + width / 2}" y="{y + 30}" font-size="11" text-anchor="middle">'
            f'ratio (AWS provider = 1)</text>\n</svg>\n')


def main() -> None:
    path = Path(sys.argv[1])
    res = json.loads(path.read_text())
    if not all({"ours", "aws"} <= set(res["pipelines"].get(str(n), {})) for n in res["sizes"]):
        # A partial run (--providers, --no-moto-mode): only what it measured.
        out = ["# Benchmark (partial run)", "", f"Run {res['date']}; `{res.get('git', '')}`."]
        out += health_section(res)
        if "real_aws" in res:
            out += real_aws_section(res["real_aws"])
        (path.parent / "results.md").write_text("\n".join(out) + "\n")
        print(f"bench: wrote {path.parent / 'results.md'} (partial run, no chart)", file=sys.stderr)
        return
    rows = build_rows(res)
    (path.parent / "results.md").write_text(markdown(res, rows))
    (path.parent / "chart.svg").write_text(svg(res, rows))
    print(f"bench: wrote {path.parent / 'results.md'} and {path.parent / 'chart.svg'}", file=sys.stderr)


if __name__ == "__main__":
    main()
