"""How hard a password is to guess, measured with zxcvbn (issue 15).

A password scoring below ``MIN_SCORE`` (zxcvbn's 0-4 scale) is refused unless an
administrator gives a reason to keep it anyway. Messages quote zxcvbn's feedback and
never the password itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from zxcvbn import zxcvbn

from smmod.errors import InputError

MIN_SCORE = 3
# zxcvbn refuses longer input (its matching is quadratic); the first 72 characters give a
# lower bound on the strength of a longer password, which is the safe side to err on.
MEASURED_CHARS = 72


@dataclass(frozen=True)
class Strength:
    score: int  # 0 (guessed at once) .. 4 (very hard to guess)
    warning: str
    suggestions: tuple[str, ...]

    @property
    def strong(self) -> bool:
        return self.score >= MIN_SCORE

    def explain(self) -> str:
        """Why the password is weak, in zxcvbn's words; never quotes the password."""
        parts = [self.warning.rstrip(".")] if self.warning else []
        parts += [s.rstrip(".") for s in self.suggestions]
        why = "; ".join(parts) or "it would be guessed quickly"
        return (f"this password is too easy to guess (strength {self.score} of 4, at least "
                f"{MIN_SCORE} needed): {why}")


def measure(secret: str, *, hints: tuple[str, ...] = ()) -> Strength:
    """zxcvbn's estimate for ``secret``; ``hints`` (login name, handle) count as guessable."""
    result = zxcvbn(secret[:MEASURED_CHARS], user_inputs=[h for h in hints if h],
                    max_length=MEASURED_CHARS)
    feedback = result.get("feedback") or {}
    return Strength(int(result["score"]), str(feedback.get("warning") or ""),
                    tuple(str(s) for s in feedback.get("suggestions") or ()))


def check(secret: str, *, override_reason: str | None, hints: tuple[str, ...] = ()
          ) -> Strength:
    """Refuse a weak ``secret`` (``InputError`` on field "secret") unless a reason is given."""
    if not isinstance(secret, str) or not secret:
        raise InputError("the secret must be non-empty text", field="secret")
    strength = measure(secret, hints=hints)
    if strength.strong:
        return strength
    if override_reason is None or not override_reason.strip():
        raise InputError(strength.explain() + ". Choose a stronger one, or give a reason to "
                         "keep this one", field="secret")
    return strength
