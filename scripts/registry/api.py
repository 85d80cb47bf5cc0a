"""HTTP for the registry collector: GET JSON, follow pagination, turn every failure into a value.

Nothing here ever returns a number it did not read: a rate limit, a server error, a network
failure or an answer that is not the JSON we expect becomes a `Failure`, which the caller
records as the error of that source. The transport is injected, so tests drive the collector
from recorded responses without a network.
"""

import email.utils
import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request

USER_AGENT = "nist-csf-mcp-registry-stats"
# One retry, and only when the server tells us to wait at most this long: the weekly job has
# time, but a multi-hour reset window is reported, not slept through.
MAX_WAIT_S = 60
SERVER_ERROR_WAIT_S = 5
# 100 items per page (the maximum both APIs accept) x 50 pages: far above what this project
# publishes; more means a loop or a changed API, which is reported.
MAX_PAGES = 50


class Failure(Exception):
    """A source could not be read. `kind` is one of: rate_limited, server_error, auth,
    not_found, http_error, network, bad_response, missing_field, too_many_pages."""

    def __init__(self, kind, message, **detail):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.detail = detail

    def as_record(self):
        return {"kind": self.kind, "message": self.message, **self.detail}


def _origin(url):
    """(scheme, host, port) with the default port filled in; None for a port that is not one."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or {"http": 80, "https": 443}.get(scheme)
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port


class OriginRedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follows redirects like urllib does, but sends the Authorization header only to the
    origin (scheme, host, port) it was meant for: urllib copies every header to the new URL,
    so a redirect to another host (or to plain http) would otherwise carry the token there."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and _origin(newurl) != _origin(req.full_url):
            for name in [k for k in new.headers if k.lower() == "authorization"]:
                del new.headers[name]
        return new


_OPENER = urllib.request.build_opener(OriginRedirectHandler)


def urllib_transport(url, headers, timeout=30):
    """The real transport: (status, lower-cased headers, body bytes). HTTP error statuses are
    answers too (their headers carry Retry-After); a failed connection raises OSError, a
    broken answer (closed early, cut short) http.client.HTTPException."""
    req = urllib.request.Request(url, headers=headers, method="GET")
    try:
        with _OPENER.open(req, timeout=timeout) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


def _seconds(value, now):
    """Seconds to wait from a Retry-After value: delta-seconds or an HTTP date."""
    value = value.strip()
    if value.isdigit():
        return int(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0, int(when.timestamp() - now))


def _epoch_wait(value, now):
    """Seconds until a Unix-time header (GitHub x-ratelimit-reset, Docker Hub X-Retry-After)."""
    try:
        return max(0, int(float(value) - now))
    except (TypeError, ValueError):
        return None


def _error_text(body):
    """The API's own words, if the error body is JSON with a message/detail (shortened)."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return ""
    if isinstance(data, dict):
        for key in ("message", "detail", "error"):
            if isinstance(data.get(key), str):
                return data[key][:200]
    return ""


def _rate_limit(status, headers, now):
    """None if this answer is not a rate limit; else (wait seconds or None, details).

    429 is always a rate limit. GitHub also answers 403 when the primary limit is spent
    (x-ratelimit-remaining: 0) or a secondary limit hits (retry-after present)."""
    remaining = headers.get("x-ratelimit-remaining")
    if status != 429 and not (status == 403 and (remaining == "0" or "retry-after" in headers)):
        return None
    detail = {}
    wait = None
    if "retry-after" in headers:
        wait = _seconds(headers["retry-after"], now)
        detail["retry_after"] = headers["retry-after"]
    elif "x-retry-after" in headers:  # Docker Hub: a Unix timestamp
        wait = _epoch_wait(headers["x-retry-after"], now)
        detail["x_retry_after"] = headers["x-retry-after"]
    elif remaining == "0" and "x-ratelimit-reset" in headers:
        wait = _epoch_wait(headers["x-ratelimit-reset"], now)
        detail["ratelimit_reset"] = headers["x-ratelimit-reset"]
    if wait is not None:
        detail["wait_s"] = wait
    return wait, detail


class Client:
    def __init__(self, transport=urllib_transport, sleep=time.sleep, clock=time.time,
                 max_wait_s=MAX_WAIT_S, max_pages=MAX_PAGES):
        self.transport = transport
        self.sleep = sleep
        self.clock = clock
        self.max_wait_s = max_wait_s
        self.max_pages = max_pages

    def get_json(self, url, headers=None):
        """(parsed JSON, response headers); at most one retry, on a short rate limit, a 5xx or a
        network failure. Raises Failure."""
        hdrs = {"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})}
        for attempt in (1, 2):
            try:
                status, rhdrs, body = self.transport(url, hdrs)
            except (OSError, http.client.HTTPException) as err:
                if attempt == 1:
                    self.sleep(SERVER_ERROR_WAIT_S)
                    continue
                raise Failure("network", f"GET {url}: {err}", url=url, attempts=attempt) from err
            rhdrs = {k.lower(): v for k, v in rhdrs.items()}
            if status == 200:
                try:
                    return json.loads(body), rhdrs
                except (ValueError, UnicodeDecodeError) as err:
                    raise Failure("bad_response", f"GET {url}: not JSON ({err})", url=url,
                                  http_status=status) from err
            limited = _rate_limit(status, rhdrs, self.clock())
            text = _error_text(body)
            if limited is not None:
                wait, detail = limited
                if attempt == 1 and wait is not None and wait <= self.max_wait_s:
                    self.sleep(wait)
                    continue
                raise Failure("rate_limited", f"GET {url}: HTTP {status} rate limited"
                              + (f" ({text})" if text else ""), url=url, http_status=status,
                              attempts=attempt, **detail)
            if status >= 500:
                if attempt == 1:
                    self.sleep(SERVER_ERROR_WAIT_S)
                    continue
                raise Failure("server_error", f"GET {url}: HTTP {status}", url=url,
                              http_status=status, attempts=attempt)
            kind = {401: "auth", 403: "auth", 404: "not_found"}.get(status, "http_error")
            raise Failure(kind, f"GET {url}: HTTP {status}" + (f" ({text})" if text else ""),
                          url=url, http_status=status)
        raise AssertionError("unreachable: the loop returns or raises")

    def _check_same_origin(self, first, nxt):
        # A token is sent with GitHub requests: never follow a "next" link to another host.
        a, b = urllib.parse.urlsplit(first), urllib.parse.urlsplit(nxt)
        if (a.scheme, a.netloc) != (b.scheme, b.netloc):
            raise Failure("bad_response", f"next page {nxt} is not on {a.scheme}://{a.netloc}",
                          url=first)

    def _pages(self, url, headers, page_items):
        """All items of a paginated list; `page_items(data, headers, page_url)` gives a page's
        items and the next page's URL (None at the end)."""
        items, page_url, pages = [], url, 0
        while page_url:
            pages += 1
            if pages > self.max_pages:
                raise Failure("too_many_pages", f"more than {self.max_pages} pages from {url}",
                              url=url)
            data, rhdrs = self.get_json(page_url, headers)
            page, nxt = page_items(data, rhdrs, page_url)
            items.extend(page)
            if nxt:
                self._check_same_origin(url, nxt)
            page_url = nxt
        return items

    def pages_hub(self, url, headers=None):
        """Docker Hub pagination: an object with `results` and a `next` URL (null at the end)."""
        def page_items(data, _, page_url):
            if not isinstance(data, dict) or not isinstance(data.get("results"), list):
                raise Failure("missing_field", f"GET {page_url}: no `results` list", url=page_url,
                              field="results")
            return data["results"], data.get("next")
        return self._pages(url, headers, page_items)

    def pages_github(self, url, headers=None):
        """GitHub pagination: a JSON array per page, the next page in the Link header."""
        def page_items(data, rhdrs, page_url):
            if not isinstance(data, list):
                raise Failure("bad_response", f"GET {page_url}: expected a JSON array",
                              url=page_url)
            return data, next_link(rhdrs.get("link", ""))
        return self._pages(url, headers, page_items)


def next_link(link_header):
    """The rel="next" URL of an RFC 8288 Link header, or None."""
    for part in link_header.split(","):
        if ";" not in part:
            continue
        target, *params = part.split(";")
        if any(p.strip().replace(" ", "") in ('rel="next"', "rel=next") for p in params):
            return target.strip().strip("<>")
    return None
