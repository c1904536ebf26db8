"""Where a document's bytes come from: a file, or an http(s) address."""
from __future__ import annotations

import os

from ..errors import InputError
from .base import FETCH_TIMEOUT_S, MAX_FILE_BYTES


def is_url(path: str) -> bool:
    return str(path).startswith(("http://", "https://"))


def url_path(path: str) -> str:
    if is_url(path):
        from urllib.parse import urlsplit

        return urlsplit(path).path
    return path


def fetch_url(url: str) -> bytes:
    """The body of an http(s) address, or an :class:`InputError` saying why not."""
    import urllib.error
    import urllib.request

    from .. import __version__

    req = urllib.request.Request(url, headers={"User-Agent": f"transcompare/{__version__}",
                                               "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5"})
    try:
        with urllib.request.urlopen(req, timeout=FETCH_TIMEOUT_S) as resp:
            data = resp.read(MAX_FILE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise InputError(f"cannot be fetched: HTTP {exc.code} {exc.reason}", url) from None
    except urllib.error.URLError as exc:
        raise InputError(f"cannot be fetched: {exc.reason}", url) from None
    except (TimeoutError, OSError, ValueError) as exc:
        raise InputError(f"cannot be fetched: {exc}", url) from None
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"is over {MAX_FILE_BYTES // 1_000_000} MB; the limit for one document", url)
    return data


def load_bytes(path: str) -> bytes:
    """The bytes of ``path`` (a file, or an http(s) address fetched), or an :class:`InputError`
    saying why not (missing, a folder, too big, unreadable). Decoding is :func:`read_bytes`'s job."""
    display = str(path)
    if is_url(display):
        return fetch_url(display)
    if not os.path.exists(path):
        raise InputError("no such file", display)
    if os.path.isdir(path):
        raise InputError("is a directory, not a file", display)
    try:
        size = os.path.getsize(path)
        if size > MAX_FILE_BYTES:
            raise InputError(f"is {size / 1e6:.0f} MB; the limit for one document is "
                             f"{MAX_FILE_BYTES // 1_000_000} MB", display)
        with open(path, "rb") as fh:
            return fh.read()
    except PermissionError:
        raise InputError("permission denied", display) from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})", display) from None

