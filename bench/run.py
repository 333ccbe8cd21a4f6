"""
The benchmark: AiNex's public pages against the ceiling of its own stack.

    make bench BENCH_ARGS="--posts 1000000"
    .venv/bin/python bench/run.py --posts 1000000 [--duration 10] [--connections 16]
        [--workers 4] [--redis] [--lighthouse]

It fills a PostgreSQL database (DATABASE_URL, default ainex_bench on the local
server) up to --posts posts with `seed_demo`, starts gunicorn with the same
worker count for every target, warms each target up, and drives it with wrk at
a fixed concurrency for a fixed time: with the page cache on; with it off (the
rendered articles of community/article.py still kept, as for signed-in
members); and "cold", with both off (the first request after a save). The post
and partial targets are one seeded post; post_1k and partial_1k request the
newest 1,000 posts in turn; the member_ targets are the same pages for a
signed-in member. The baseline is a hello-world view behind the full
middleware stack (bench/urls.py, enabled only by bench/settings.py); with the
cache off, floors too: hello-world plus 1 to 5 or 11 single-row queries and
no template. Searches for SEARCH_TERMS are measured with the cache off (a
search asked again is kept per content version) and cold (every request
searches); `--targets` runs them when it names "search". It prints a table of
requests/s, p50, p99, the ratio to hello-world, queries per request and the
ratio to the floor with as many queries, and the server processes' memory,
and writes the same to bench/results/<time>.json.
--lighthouse also runs Lighthouse (npm, scripts/lighthouse.py) on /community/
and /guide/ against Debian's Chromium.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scripts.lighthouse import report as lighthouse_report  # noqa: E402
from scripts.lighthouse import scores as category_scores  # noqa: E402
from scripts.local_server import gunicorn  # noqa: E402

VENV_BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/ainex_bench"
DEEP_PAGE = 50_000  # the page number whose cursor the deep-list target uses
# Korean terms of three or more characters: common in the demo posts (양자화),
# in one title in six (컨텍스트), only in the seed posts (파인튜닝), only in a
# scenario that posts present (맥북이나); and one character, which no trigram
# index can narrow down (맥: the page stops at its scan budget).
SEARCH_TERMS = ["양자화", "컨텍스트", "파인튜닝", "맥북이나", "맥"]
# The post_1k and partial_1k targets request this many posts in turn (the
# newest), so that what costs differently per post shows: the seeded post alone
# hid a plan that took 100 ms for nearly every other post.
MANY_POSTS = 1_000
# Floors, measured with the cache off only (nothing caches them): hello-world
# plus as many single-row queries as the pages run: kept markup with the
# content version (1 with local memory, 0 with Redis) and the post's row; a
# signed-in member's session and user on top (4, 5); the list rendered (3), a
# post page rendered (11).
FLOOR_QUERIES = (1, 2, 3, 4, 5, 11)
# (page cache seconds, rendered-fragment seconds) of each mode.
MODES = {"cache on": ("600", "600"), "cache off": ("0", "600"), "cold": ("0", "0")}
# The pages a signed-in member is measured on (no page cache serves them).
MEMBER_TARGETS = ("list", "tag", "post", "partial", "post_1k", "partial_1k")
# Every browser asks for compressed responses; wrk does not unless told to.
ACCEPT_GZIP = ["-H", "Accept-Encoding: gzip"]


def django_env(database_url, **extra):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    env.pop("REDIS_URL", None)
    env.update({k: v for k, v in extra.items() if v is not None})
    return env


def manage(env, *args, capture=False):
    return subprocess.run(
        [str(VENV_BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=capture,
    ).stdout


def ensure_database(database_url):
    """Create the benchmark database on the server if it does not exist yet."""
    import psycopg
    from psycopg import sql

    name = database_url.rsplit("/", 1)[1]
    server = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare(database_url, posts):
    env = django_env(database_url)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed", "--reload", "-v0")
    have = int(
        manage(
            env,
            "shell",
            "-v0",
            "-c",
            "from community.models import Post; print(Post.objects.count())",
            capture=True,
        ).strip()
    )
    if have < posts:
        print(f"seed_demo: {have:,} posts, adding {posts - have:,}", flush=True)
        manage(env, "seed_demo", "--posts", str(posts - have))
        vacuum(database_url)
    manage(env, "collectstatic", "--noinput", "-v0")
    return targets(env)


def vacuum(database_url):
    """
    VACUUM ANALYZE the filled database. Rows inserted in bulk are not marked
    visible to every transaction until a vacuum: until then each index-only scan
    (the list's filter counts, the related posts' walks) reads the table too.
    Autovacuum gets there eventually, but not before the benchmark would start
    (see bench/README.md, "Issue 22").
    """
    import psycopg

    print("VACUUM ANALYZE", flush=True)
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def targets(env):
    """The URLs to measure, found in the database as it is now."""
    script = f"""
import json
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from community.models import Post
from community.pagination import Cursor
posts = Post.objects.published().newest_first()
total = posts.count()
depth = min(total - 1, ({DEEP_PAGE} - 1) * settings.COMMUNITY_PAGE_SIZE)
deep = posts.only("published_at")[depth - 1] if depth > 0 else None
seeded = Post.objects.get(slug="llama-3-70b-quantization")
from community.models import Tag
tag = Tag.objects.filter(slug__startswith="demo-").order_by("slug").first() or seeded.tags.first()
newest = list(posts.only("slug")[:{MANY_POSTS}])
from django.contrib.auth import get_user_model, SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from importlib import import_module
SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
from members.models import Member
user, _ = get_user_model().objects.get_or_create(
    username="bench-member", defaults={{"email": "bench-member@example.kr"}}
)
Member.objects.get_or_create(user=user, defaults={{"display_name": "벤치 회원"}})
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "members.auth.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(json.dumps({{
    "member_cookie": f"{{settings.SESSION_COOKIE_NAME}}={{session.session_key}}",
    "posts": total,
    "deep_page": depth // settings.COMMUNITY_PAGE_SIZE + 1,
    "hello": "/bench/hello/",
    "static": staticfiles_storage.url("css/site.css"),
    "home": "/",
    "list": "/community/",
    "tag": tag.get_absolute_url(),
    "deep_list": "/community/" + (f"?before={{Cursor.of(deep)}}" if deep else ""),
    "post": seeded.get_absolute_url(),
    "partial": seeded.get_modal_url(),
    "post_1k": [p.get_absolute_url() for p in newest],
    "partial_1k": [p.get_modal_url() for p in newest],
    "guide": "/guide/",
    **{{f"{{n}}_queries": f"/bench/queries/{{n}}/" for n in {FLOOR_QUERIES}}},
}}))
"""
    return json.loads(manage(env, "shell", "-v0", "-c", script, capture=True))


def get(url, cookie=None, timeout=60):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        response.read()
        return response


def queries_per_request(url, cookie=None):
    return int(get(url, cookie, timeout=10).headers.get("X-Query-Count", "0"))


def wrk(base, paths, connections, duration, cookie=None):
    """wrk on base + the paths; more than one are requested in turn, round robin."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", *ACCEPT_GZIP]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        if len(paths) > 1:
            script.write(ROUND_ROBIN.replace("PATHS", ", ".join(json.dumps(p) for p in paths)))
            script.flush()
            command += ["-s", script.name]
        output = subprocess.run(
            [*command, base + paths[0]], check=True, capture_output=True, text=True
        ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": to_ms(re.search(r"50%\s+([\d.]+\w+)", output).group(1)),
        "p99_ms": to_ms(re.search(r"99%\s+([\d.]+\w+)", output).group(1)),
        "errors": int(errors.group(1)) if errors else 0,
    }


# Each wrk thread starts at its own place in the list, so that the threads do
# not request the same page at the same moment.
ROUND_ROBIN = """
local paths = {PATHS}
local threads = 0
function setup(thread)
  thread:set("i", threads * 7919)
  threads = threads + 1
end
function request()
  i = i % #paths + 1
  return wrk.format(nil, paths[i])
end
"""


def to_ms(value):
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def measure(base, urls, connections, duration, warmup, cookie=None):
    """
    Each target in turn, with hello-world measured before the first target and
    again after every one. A target's ratio is to the mean of the two
    hello-world runs on either side of it, so that the machine's drift during
    the run (10% and more here) does not skew it. Targets named member_* are
    requested with the signed-in member's `cookie`.
    """

    def run(name, path):
        paths = path if isinstance(path, list) else [path]
        signed_in = cookie if name.startswith("member_") else None
        # Each page requested once first: it renders and caches the page, so that
        # warm-up and measurement see the steady state.
        for each in paths:
            get(base + each, signed_in)
        wrk(base, paths, connections, warmup, signed_in)
        result = wrk(base, paths, connections, duration, signed_in)
        result["queries"] = queries_per_request(base + paths[0], signed_in)
        print(
            f"  {name:<13} {result['rps']:>9.1f} req/s  p50 {result['p50_ms']:6.2f} ms  "
            f"p99 {result['p99_ms']:6.2f} ms  queries {result['queries']}",
            flush=True,
        )
        return result

    rows = {"hello": run("hello", urls["hello"])}
    hello_runs = [rows["hello"]["rps"]]
    for name, path in urls.items():
        if name == "hello":
            continue
        result = run(name, path)
        hello_runs.append(run("hello", urls["hello"])["rps"])
        result["hello_rps"] = (hello_runs[-2] + hello_runs[-1]) / 2
        result["ratio"] = result["rps"] / result["hello_rps"]
        rows[name] = result
    rows["hello"].update(ratio=1.0, rps_runs=hello_runs)
    # Each page beside the floor with its own query count, where one was measured.
    floors = {row["queries"]: row for n, row in rows.items() if n.endswith("_queries")}
    for name, row in rows.items():
        floor = floors.get(row["queries"])
        if floor is not None and not name.endswith("_queries") and name != "hello":
            row["floor_ratio"] = floor["ratio"]
            row["share_of_floor"] = row["ratio"] / floor["ratio"]
    return rows


def lighthouse(base):
    """Lighthouse scores for the list and the guide (an error is recorded, not raised)."""
    scores = {}
    for path in ("/community/", "/guide/"):
        try:
            data = lighthouse_report(base + path)
        except RuntimeError as error:
            scores[path] = {"error": str(error)}
            print(f"  lighthouse {path}: failed: {error}", flush=True)
            continue
        audits = data["audits"]
        blocking = audits["render-blocking-resources"].get("details") or {}
        scores[path] = {
            **category_scores(data),
            "transfer_kb": round(audits["total-byte-weight"]["numericValue"] / 1024, 1),
            "render_blocking": len(blocking.get("items", [])),
        }
        print(f"  lighthouse {path}: {scores[path]}", flush=True)
    return scores


def server_memory(base):
    """
    The memory of the gunicorn processes serving `base` (the master and its
    workers, found by their --bind address), in MB: PSS counts the pages that
    the workers share with the master since the fork once, RSS counts them in
    every process. None where /proc cannot tell (not Linux).
    """
    bind = base.removeprefix("http://").encode()
    processes = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if bind not in (proc / "cmdline").read_bytes().split(b"\0"):
                continue
            rollup = (proc / "smaps_rollup").read_text()
        except OSError:  # gone meanwhile, or not ours to read
            continue
        # "Rss:  61234 kB" and the like, after a header line.
        kilobytes = {
            name: int(value.split()[0])
            for name, value in (line.split(":", 1) for line in rollup.splitlines()[1:])
        }
        processes.append(kilobytes)
    if not processes:
        return None
    return {
        "processes": len(processes),
        "pss_mb_total": round(sum(p["Pss"] for p in processes) / 1024, 1),
        "rss_mb_max": round(max(p["Rss"] for p in processes) / 1024, 1),
    }


def print_table(results):
    print()
    print(
        f"{'mode':<10} {'target':<18} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'x hello':>8} {'queries':>8} {'floor':>6} {'x floor':>8}"
    )
    for mode, rows in results["modes"].items():
        for name, r in rows.items():
            floor = ""
            if "floor_ratio" in r:
                floor = f"{r['floor_ratio']:>6.2f} {r['share_of_floor']:>8.2f}"
            print(
                f"{mode:<10} {name:<18} {r['rps']:>9.1f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} "
                f"{r['ratio']:>8.2f} {r['queries']:>8} {floor}"
            )
    for mode, memory in results.get("memory", {}).items():
        if memory:
            print(
                f"{mode}: {memory['processes']} gunicorn processes after its targets, "
                f"{memory['pss_mb_total']} MB in all (PSS), "
                f"the largest {memory['rss_mb_max']} MB (RSS)"
            )


def main():
    parser = argparse.ArgumentParser(description="AiNex benchmark (see bench/README.md)")
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--redis", action="store_true", help="cache in Redis at REDIS_URL")
    parser.add_argument("--lighthouse", action="store_true")
    parser.add_argument("--targets", help="comma-separated subset, e.g. hello,list,partial")
    parser.add_argument(
        "--modes", default=",".join(MODES), help=f"which modes to run, of {', '.join(MODES)}"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")

    ensure_database(args.database_url)
    urls = prepare(args.database_url, args.posts)
    meta = {k: urls.pop(k) for k in ("posts", "deep_page")}
    searching = not args.targets or "search" in args.targets.split(",")
    if args.targets:
        wanted = {"hello", "member_cookie", *args.targets.split(",")}  # hello: the baseline
        urls = {name: path for name, path in urls.items() if name in wanted}
    print(f"{meta['posts']:,} published posts; deep list = page {meta['deep_page']:,}", flush=True)
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0") if args.redis else None

    results = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "posts": meta["posts"],
        "deep_page": meta["deep_page"],
        "server": f"gunicorn, {args.workers} sync workers",
        "load": f"wrk -t2 -c{args.connections} -d{args.duration}s after {args.warmup}s warm-up",
        "cache": "redis" if redis_url else "local memory",
        "modes": {},
        "memory": {},
        "search": {},
    }
    modes = [m.strip() for m in args.modes.split(",")]
    cookie = urls.pop("member_cookie")
    for name in MEMBER_TARGETS:
        if name in urls:
            urls[f"member_{name}"] = urls[name]
    floors = {f"{n}_queries" for n in FLOOR_QUERIES}
    for mode, (page_seconds, fragment_seconds) in MODES.items():
        if mode not in modes:
            continue
        print(f"{mode}:", flush=True)
        env = django_env(
            args.database_url,
            PAGE_CACHE_SECONDS=page_seconds,
            FRAGMENT_CACHE_SECONDS=fragment_seconds,
            REDIS_URL=redis_url,
        )
        targets = {n: p for n, p in urls.items() if mode != "cache on" or n not in floors}
        with gunicorn(env, args.workers) as base:
            results["modes"][mode] = measure(
                base, targets, args.connections, args.duration, args.warmup, cookie
            )
            # After every target: each worker holds the pages it has cached.
            results["memory"][mode] = server_memory(base)
            if args.lighthouse and mode == "cache on":
                results["lighthouse"] = lighthouse(base)
            if mode != "cache on" and searching:
                # With the cache off, a search asked again is kept per version
                # (community/listing.py); cold, every request really searches.
                print(f"search, {args.connections} connections:", flush=True)
                results["search"][mode] = measure(
                    base,
                    {
                        "hello": urls["hello"],
                        **{
                            f"q={term}": "/community/?q=" + urllib.parse.quote(term)
                            for term in SEARCH_TERMS
                        },
                    },
                    args.connections,
                    args.duration,
                    args.warmup,
                )
    print_table(results)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"\nwritten: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
