"""The one exception normalisers raise, and the shared ``errors=`` switch."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, Literal, Optional, ParamSpec, TypeVar

Errors = Literal["raise", "null"]

T = TypeVar("T")
P = ParamSpec("P")


class NormalizeError(ValueError):
    """A value a normaliser could not interpret.

    The offending value is kept on ``.value`` and quoted in the message so a
    failure deep inside a batch run still says *which* cell was bad.
    """

    def __init__(self, value: object, reason: str) -> None:
        self.value = value
        self.reason = reason
        super().__init__(f"{reason}: {value!r}")


def check_errors(errors: object) -> None:
    # A typo such as errors="ignore" must not silently mean "raise".
    if errors not in ("raise", "null"):
        raise ValueError(f"errors must be 'raise' or 'null', not {errors!r}")


def fail(value: object, reason: str, errors: Errors) -> None:
    """Raise NormalizeError, or return None when the caller asked for nulls."""
    if errors == "null":
        return None
    raise NormalizeError(value, reason)


def normaliser(what: str) -> Callable[[Callable[Concatenate[str, P], Optional[T]]],
                                       Callable[Concatenate[object, P], Optional[T]]]:
    """The prologue every normaliser shares, written once.

    ``errors`` is checked, None and "" pass through as None, and a value
    that is not a string fails as "<what> is not a string" under the
    caller's ``errors`` policy; the wrapped function sees only real text.
    """

    def wrap(fn: Callable[Concatenate[str, P], Optional[T]]) -> Callable[Concatenate[object, P], Optional[T]]:
        def wrapper(s: object, /, *args: P.args, **kwargs: P.kwargs) -> Optional[T]:
            errors = kwargs.get("errors", "raise")
            check_errors(errors)
            if s is None or s == "":
                return None
            if not isinstance(s, str):
                return fail(s, f"{what} is not a string", "null" if errors == "null" else "raise")
            return fn(s, *args, **kwargs)

        functools.update_wrapper(wrapper, fn)
        return wrapper

    return wrap
