"""Tab completion for the shell: commands and their arguments, field names, outlet names
after ``outlet:`` (quoted when they hold a space), and words from the index.

The completer knows nothing about Whoosh: it is given the command table and three
callables (outlet names, index words for a prefix, the hits on screen) by the shell.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document as PTDocument

from ..render import safe
from ..querylang.lexer import QUOTES


@dataclass(frozen=True)
class CommandSpec:
    """One shell command as :help lists it and Tab completes it."""

    name: str
    usage: str  # argument synopsis, "" for none
    help: str  # one line
    choices: tuple[str, ...] = ()  # fixed argument values, if any
    #: The argument is a query: completed and highlighted as one.
    query_argument: bool = False


FIELD_HELP = {
    "title:": "in the title only",
    "body:": "in the article text only",
    "outlet:": "articles from an outlet (a filter)",
    "date:": "date, month, year or [from TO to] (a filter)",
}
OPERATOR_HELP = {"AND": "both sides", "OR": "either side", "NOT": "leave out what follows"}

# outlet: then an opening quote and anything but a quote, or a bare name so far.
_OUTLET_VALUE = re.compile(r'(?i)(?:^|(?<=[\s(+\-]))outlet:(?:(["\u201c])([^"\u201d]*)|([^\s"()]*))$')
_FIELD_VALUE = re.compile(r"(?i)(?:^|(?<=[\s(+\-]))(title|body|date):([^\s\"()]*)$")
_WORD_SEPARATORS = re.compile(r"[\s()\"\u201c\u201d\u201e\u00ab\u00bb]")
MIN_WORD_PREFIX = 2  # while typing; Tab completes from the first letter


def _outlet_completions(partial: str, quoted: bool, outlets: Iterable[str], counts: dict[str, int]) -> Iterator[Completion]:
    """Outlet names whose name, or one of whose words, starts with ``partial``."""
    typed = partial.casefold()
    for name in outlets:
        folded = name.casefold()
        if not (folded.startswith(typed) or any(w.startswith(typed) for w in folded.split())):
            continue
        clean = safe(name)
        text = f'"{clean}"' if (" " in clean or quoted) else clean
        start = -(len(partial) + (1 if quoted else 0))
        meta = f"{counts[name]} article{'s' if counts[name] != 1 else ''}" if name in counts else "outlet"
        yield Completion(text, start_position=start, display=clean, display_meta=meta)


class ShellCompleter(Completer):
    """Completion for commands (lines starting with ``:``) and for queries."""

    def __init__(
        self,
        commands: Sequence[CommandSpec],
        resolve: Callable[[str], CommandSpec | None],
        outlets: Callable[[], dict[str, int]],
        words: Callable[[str], list[str]],
        hits: Callable[[], Sequence[tuple[int, str]]],
    ) -> None:
        self.commands = commands
        self.resolve = resolve
        self.outlets = outlets  # name -> number of articles
        self.words = words
        self.hits = hits  # (rank, title) of the hits on screen

    def get_completions(self, document: PTDocument, complete_event: CompleteEvent) -> Iterator[Completion]:
        text = document.text_before_cursor
        stripped = text.lstrip()
        try:
            if stripped.startswith(":"):
                yield from self._command(stripped, complete_event)
            else:
                yield from self._query(text, complete_event)
        except Exception:  # noqa: BLE001 - a completion problem must never break the prompt
            return

    # -- commands ------------------------------------------------------------------------

    def _command(self, text: str, event: CompleteEvent) -> Iterator[Completion]:
        name, space, arg = text[1:].partition(" ")
        if not space:
            for spec in self.commands:
                if spec.name.startswith(name):
                    # A command that takes an argument gets the space after it, as bash does.
                    yield Completion(
                        ":" + spec.name + (" " if spec.usage else ""), start_position=-len(text),
                        display=":" + spec.name, display_meta=spec.help,
                    )
            return
        found = self.resolve(name)
        if found is None:
            return
        spec = found
        arg = arg.lstrip()
        if spec.name == "filter":
            outlet = _OUTLET_VALUE.search(arg)
            if outlet is not None:
                quoted = bool(outlet.group(1))
                partial = outlet.group(2) if quoted else outlet.group(3)
                counts = self.outlets()
                yield from _outlet_completions(partial, quoted, counts, counts)
                return
        if spec.query_argument:
            yield from self._query(arg, event)
            return
        if spec.name == "open":
            for rank, title in self.hits():
                if str(rank).startswith(arg):
                    yield Completion(str(rank), start_position=-len(arg), display_meta=safe(title)[:60])
            return
        if spec.name == "help":
            for other in self.commands:
                if other.name.startswith(arg):
                    yield Completion(other.name, start_position=-len(arg), display_meta=other.help)
            return
        if spec.name == "export":  # FILE first (typed), then the format
            head, space, last = arg.rpartition(" ")
            if not space:
                return
            arg = last
        for choice in spec.choices:
            if choice.startswith(arg) and choice != arg:
                yield Completion(choice, start_position=-len(arg))

    # -- queries -------------------------------------------------------------------------

    def _query(self, text: str, event: CompleteEvent) -> Iterator[Completion]:
        outlet = _OUTLET_VALUE.search(text)
        if outlet is not None and not self._inside_phrase(text[: outlet.start()]):
            quoted = bool(outlet.group(1))
            partial = outlet.group(2) if quoted else outlet.group(3)
            counts = self.outlets()
            yield from _outlet_completions(partial, quoted, counts, counts)
            return
        in_phrase = self._inside_phrase(text)
        field = None if in_phrase else _FIELD_VALUE.search(text)
        if field is not None:
            if field.group(1).lower() != "date":
                yield from self._words(field.group(2), event)
            return
        partial = _WORD_SEPARATORS.split(text)[-1]
        if not in_phrase and partial[:1] in ("+", "-"):
            partial = partial[1:]
        if not partial and not event.completion_requested:
            return
        if not in_phrase:
            yield from self._fields_and_operators(partial)
        yield from self._words(partial, event)

    @staticmethod
    def _inside_phrase(text: str) -> bool:
        return sum(1 for c in text if c in QUOTES) % 2 == 1

    @staticmethod
    def _fields_and_operators(partial: str) -> Iterator[Completion]:
        if partial and partial.isupper():
            for op, meta in OPERATOR_HELP.items():
                if op.startswith(partial) and op != partial:
                    yield Completion(op + " ", start_position=-len(partial), display=op, display_meta=meta)
        lowered = partial.lower()
        if partial.isalpha():
            for name, meta in FIELD_HELP.items():
                if name.startswith(lowered):
                    yield Completion(name, start_position=-len(partial), display_meta=meta)

    def _words(self, partial: str, event: CompleteEvent) -> Iterator[Completion]:
        if not partial or not partial.replace("'", "").isalnum():
            return
        if len(partial) < MIN_WORD_PREFIX and not event.completion_requested:
            return
        capital = partial[0].isupper()
        for word in self.words(partial):
            shown = safe(word)
            if capital:
                shown = shown[:1].upper() + shown[1:]
            if shown == partial:
                continue
            yield Completion(shown, start_position=-len(partial))


def complete_or_cycle(buffer, completer: Completer | None = None) -> None:
    """What Tab does: a single candidate is inserted at once and the menu closed (bash,
    pgcli, IPython); several cycle through the menu; with no menu yet, the candidates'
    common part is inserted first.

    The candidates are asked of ``completer`` at the moment Tab is pressed: the menu that
    completion-while-typing fills runs in a thread, and a Tab pressed while it is still
    empty (on a busy machine, or typing fast) must not need a second Tab."""
    state = buffer.complete_state
    if state is not None and state.completions and state.complete_index is not None:
        buffer.complete_next()  # the user is already cycling through the menu
        return
    candidates = list(state.completions) if state is not None else []
    if completer is not None and len(candidates) != 1:
        candidates = [c for c in completer.get_completions(buffer.document, CompleteEvent(completion_requested=True))
                      if not _does_nothing(buffer.document, c)]
    if len(candidates) == 1:
        buffer.cancel_completion()
        buffer.apply_completion(candidates[0])
    elif state is not None and state.completions:
        buffer.complete_next()
    else:
        buffer.start_completion(insert_common_part=True)


def _does_nothing(document: PTDocument, completion: Completion) -> bool:
    """A candidate that is exactly what is typed already (nothing to insert)."""
    start = len(document.text_before_cursor) + completion.start_position
    return document.text_before_cursor[start:] == completion.text
