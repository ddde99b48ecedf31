"""6. Big result files: a batch output file streamed to disk (BatchClient.download_file) and indexed for
the results view (scan_result_file), at two sizes.

The files are generated once into bench/.cache: realistic output lines of about 4 KB (a 50,000-request
batch makes a 200 MB file), 2% of them failed requests. A tiny standard-library server in its own
process sends them with sendfile() from /v1/files/{id}/content, so a download measures the client.
curl fetches the same file from the same server as the baseline (its own `time_total`); every
client runs in its own process, whose peak RSS (VmHWM) comes from the kernel when it exits.
"""

from __future__ import annotations

import json
import random
from functools import partial
from pathlib import Path

from bench.environment import API_KEY, BENCH, CACHE, Context
from bench.processes import BenchError, run_child, server
from bench.report import Figure, Section
from bench.stats import ratios

TITLE = "6. Big result files"
DRIVERS = BENCH / "drivers"
SIZES_MIB = (50, 200)
FILES = CACHE / "files"
FORMAT_VERSION = "1"  # bump when the generated lines change, so cached files are made again
MB = 1_000_000


def run(context: Context) -> Section:
    section = Section("files", TITLE)
    rounds = context.pick(5, 2)
    python = str(context.project_python)
    paths = {size: generate(size, context) for size in SIZES_MIB}
    scratch = CACHE / "downloads"
    scratch.mkdir(parents=True, exist_ok=True)
    if context.curl is None:
        section.notes.append("curl is not installed (apt-get install -y curl): the curl baseline was skipped.")
    serve = [python, str(DRIVERS / "file_server.py"), str(FILES), API_KEY]
    with server(serve, context.env()) as base_url:
        for size, path in paths.items():
            file_id = path.stem
            destination = scratch / f"{file_id}.jsonl"
            sides = {
                "batchtui": partial(_download, context, python, base_url, file_id, destination),
                "scan": partial(_scan, context, [python, str(DRIVERS / "scan_batchtui.py"), str(path)]),
                "scan_floor": partial(_scan, context, [python, str(DRIVERS / "scan_floor.py"), str(path)]),
            }
            if context.curl is not None:
                sides["curl"] = partial(_curl, context, base_url, file_id, destination)
            names = list(sides)
            context.say(f"{size} MiB: {rounds} interleaved rounds of {', '.join(names)}")
            results: dict[str, list[dict[str, float]]] = {name: [] for name in names}
            for round_number in range(rounds):
                order = names[round_number % len(names) :] + names[: round_number % len(names)]
                for name in order:
                    results[name].append(sides[name]())
                    destination.unlink(missing_ok=True)
            _add_figures(section, size, path.stat().st_size, results)
    _judge_memory(section)
    section.notes.append(
        f"files of {' and '.join(f'{s} MiB' for s in SIZES_MIB)} ({_lines_note(paths)}); {rounds} rounds, "
        "sides interleaved in rotating order; throughput in MB/s (10⁶ bytes); the download is written to "
        "bench/.cache and deleted after each run; peak RSS is the whole process (interpreter and imports included)."
    )
    return section


def _add_figures(section: Section, size: int, nbytes: int, results: dict[str, list[dict[str, float]]]) -> None:
    def throughput(name: str) -> list[float]:
        return [nbytes / MB / run["seconds"] for run in results[name]]

    section.add(
        Figure(f"files.{size}.batchtui_mbps", f"{size} MiB: batchtui download_file", "MB/s", throughput("batchtui"))
    )
    if "curl" in results:
        section.add(Figure(f"files.{size}.curl_mbps", f"{size} MiB: curl", "MB/s", throughput("curl")))
        ratio = section.add(
            Figure(
                f"files.{size}.ratio_curl",
                f"{size} MiB: batchtui / curl throughput",
                "x",
                ratios(throughput("batchtui"), throughput("curl")),
            )
        )
        ratio.judge("≥ 0.8×", ratio.summary.median >= 0.8)
    section.add(Figure(f"files.{size}.scan_mbps", f"{size} MiB: scan_result_file", "MB/s", throughput("scan")))
    section.add(
        Figure(
            f"files.{size}.scan_floor_mbps", f"{size} MiB: floor, json.loads per line", "MB/s", throughput("scan_floor")
        )
    )
    for name, label in (("batchtui", "download_file"), ("curl", "curl"), ("scan", "scan_result_file")):
        if name in results:
            section.add(
                Figure(
                    f"files.{size}.{name}_peak",
                    f"{size} MiB: {label} peak RSS",
                    "MiB",
                    [run["peak_kib"] / 1024 for run in results[name]],
                )
            )
    lines = results["scan"][0]["lines"]
    index = [(run["rss_after_kib"] - run["rss_before_kib"]) * 1024 / lines for run in results["scan"]]
    section.add(Figure(f"files.{size}.index_bytes_per_line", f"{size} MiB: results index, bytes per line", "B", index))


def _judge_memory(section: Section) -> None:
    """Peak RSS at the big size against the small one: streaming means it does not grow with the file."""
    small, big = SIZES_MIB
    for name, label in (("batchtui", "download_file"), ("curl", "curl")):
        peaks = {f.key: f.summary.median for f in section.figures if f.key.endswith(f".{name}_peak")}
        if len(peaks) < 2:
            continue
        growth = peaks[f"files.{big}.{name}_peak"] - peaks[f"files.{small}.{name}_peak"]
        figure = section.add(
            Figure(f"files.{name}_peak_growth", f"{label}: peak RSS at {big} minus at {small} MiB", "MiB", [growth])
        )
        if name == "batchtui":
            figure.judge("≈ 0 (< 5 MiB)", growth < 5)


def _download(context: Context, python: str, base_url: str, file_id: str, destination: Path) -> dict[str, float]:
    child = run_child(
        [python, str(DRIVERS / "download_batchtui.py"), base_url, API_KEY, file_id, str(destination)],
        context.env(),
        timeout=600,
    )
    report = child.report()
    _check_size(destination, file_id, report["bytes"])
    return {"seconds": report["seconds"], "peak_kib": child.peak_rss_kib}


def _curl(context: Context, base_url: str, file_id: str, destination: Path) -> dict[str, float]:
    assert context.curl is not None
    argv = [
        context.curl,
        "--silent",
        "--show-error",
        "--fail",
        "--output",
        str(destination),
        "--header",
        f"Authorization: Bearer {API_KEY}",
        "--write-out",
        "%{time_total} %{size_download}",
        f"{base_url}/files/{file_id}/content",
    ]
    child = run_child(argv, context.env(), timeout=600)
    if child.returncode != 0:
        raise BenchError(f"curl failed: {child.stderr.strip()}")
    seconds, size = child.stdout.split()
    _check_size(destination, file_id, int(size))
    return {"seconds": float(seconds), "peak_kib": child.peak_rss_kib}


def _scan(context: Context, argv: list[str]) -> dict[str, float]:
    child = run_child(argv, context.env(), timeout=600)
    report = child.report()
    return {**report, "peak_kib": child.peak_rss_kib}


def _check_size(destination: Path, file_id: str, reported: int) -> None:
    expected = (FILES / f"{file_id}.jsonl").stat().st_size
    if reported != expected or destination.stat().st_size != expected:
        raise BenchError(f"{file_id}: downloaded {reported} bytes, expected {expected}")


def _lines_note(paths: dict[int, Path]) -> str:
    counts = []
    for size, path in paths.items():
        stamp = path.with_suffix(".lines")
        counts.append(f"{int(stamp.read_text()):,} lines" if stamp.exists() else f"{size} MiB")
    return ", ".join(counts)


# The file


def generate(size_mib: int, context: Context) -> Path:
    """bench/.cache/files/file-bench-{size}mib.jsonl, made once (deterministic) and reused."""
    path = FILES / f"file-bench-{size_mib}mib.jsonl"
    stamp = path.with_suffix(".lines")
    version = path.with_suffix(".version")
    if path.exists() and stamp.exists() and version.exists() and version.read_text() == FORMAT_VERSION:
        return path
    context.say(f"generating a {size_mib} MiB output file into {path.relative_to(BENCH.parent)} (once)")
    FILES.mkdir(parents=True, exist_ok=True)
    target = size_mib * 1024 * 1024
    rng = random.Random(f"bench-output-{size_mib}")
    paragraphs = _paragraphs(random.Random("bench-paragraphs"))
    partial = path.with_suffix(".part")
    written = lines = 0
    with partial.open("wb") as out:
        while written < target:
            line = _output_line(lines, rng, paragraphs)
            out.write(line)
            written += len(line)
            lines += 1
    partial.replace(path)
    stamp.write_text(str(lines))
    version.write_text(FORMAT_VERSION)
    return path


SENTENCES = (
    "the customer reports that their order arrived late and the package was damaged during shipping",
    "we apologise for the inconvenience and have issued a refund to the original payment method",
    "summary of the call: caller asked about the premium plan pricing, annual discount and data export",
    "the document describes a method for résumé parsing with “smart quotes”, naïve tokenisation and 東京",
    "next steps include a follow-up email, a ticket for the billing team and an update to the FAQ",
)


def _paragraphs(rng: random.Random) -> list[str]:
    """64 answers of 2.5–4.5 KB: the bulk of each line, varied enough that every line is different."""
    words = " ".join(SENTENCES).split()
    paragraphs = []
    for _ in range(64):
        sentences = []
        length = 0
        goal = rng.randint(2500, 4500)
        while length < goal:
            sentence = " ".join(rng.choice(words) for _ in range(rng.randint(8, 24))).capitalize() + "."
            sentences.append(sentence + ("\n\n" if rng.random() < 0.15 else " "))
            length += len(sentence) + 1
        paragraphs.append("".join(sentences).strip())
    return paragraphs


def _output_line(index: int, rng: random.Random, paragraphs: list[str]) -> bytes:
    custom_id = f"request-{index:06d}"
    request_id = f"req_{rng.getrandbits(128):032x}"
    if rng.random() < 0.02:
        status = rng.choice((400, 429, 500))
        body: dict = {
            "error": {
                "message": rng.choice(
                    (
                        "Rate limit reached for gpt-4o-mini in organization org-bench on tokens per min.",
                        "The server had an error while processing your request. Sorry about that!",
                        "Invalid 'messages[1].content': string too long.",
                    )
                ),
                "type": "invalid_request_error" if status == 400 else "server_error",
                "param": None,
                "code": None,
            }
        }
    else:
        status = 200
        text = rng.choice(paragraphs)
        start = rng.randrange(0, 200)
        prompt_tokens = rng.randint(250, 900)
        completion_tokens = len(text) // 4
        body = {
            "id": f"chatcmpl-{rng.getrandbits(96):024x}",
            "object": "chat.completion",
            "created": 1_764_000_000 + index,
            "model": "gpt-4o-mini-2024-07-18",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text[start:] + text[:start], "refusal": None},
                    "logprobs": None,
                    "finish_reason": "stop",
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
                "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0},
            },
            "system_fingerprint": "fp_bench0001",
        }
    record = {
        "id": f"batch_req_{rng.getrandbits(128):032x}",
        "custom_id": custom_id,
        "response": {"status_code": status, "request_id": request_id, "body": body},
        "error": None,
    }
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
