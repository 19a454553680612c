"""Where cart's files go on the disk, and what an operating-system error means in words.

Nothing here speaks SQL (that is ``store``): this module finds the database's path
(``--db``, ``CART_DB`` or the per-user default), creates the private folder and file,
writes every other file cart makes (exports, backups, reports, calendars) as a hidden
owner-only file moved into place only when complete, refuses to let any of them replace
the database or the files SQLite keeps beside it, and turns an ``OSError`` into a few
words a person can act on.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from cart_cli.errors import InvalidInput, StoreError


class TargetExists(InvalidInput):
    """The file to write exists already and may not be replaced (no ``--force``)."""

    def __init__(self, target: Path) -> None:
        super().__init__(f"{target} already exists; choose another name or add --force to replace it.")
        self.target = target


def default_db_path(environ: Mapping[str, str] | None = None) -> Path:
    """The platform's per-user data folder, e.g. ``~/.local/share/cart/cart.db`` on Linux."""
    env = os.environ if environ is None else environ
    home = Path(env.get("HOME") or Path.home())
    if sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    elif sys.platform == "win32":
        base = Path(env.get("APPDATA") or home / "AppData" / "Roaming")
    else:
        base = Path(env.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base / "cart" / "cart.db"


def resolve_db_path(option: str | None, environ: Mapping[str, str] | None = None) -> Path:
    """``--db`` wins, then ``CART_DB``, then the per-user default. An empty ``--db`` is
    refused: silently using another database would put entries where nobody looks."""
    env = os.environ if environ is None else environ
    if option is not None:
        if not option.strip():
            raise InvalidInput("--db was given an empty path: give the database file, e.g. --db ~/cart.db.")
        return user_path(option, "--db")
    chosen = env.get("CART_DB")
    return user_path(chosen, "CART_DB") if chosen else default_db_path(env)


def user_path(text: str, what: str) -> Path:
    """A path as typed, with ``~`` and ``~user`` expanded; an unknown user is a clear error."""
    try:
        return Path(text).expanduser()
    except (RuntimeError, KeyError):
        user = text.split("/", 1)[0]
        raise InvalidInput(
            f"{what} {text!r}: {user} names no user on this computer (or no home folder is set); "
            "give the full path."
        ) from None


def create_private_file(path: Path) -> list[Path]:
    """Create the folder (0700) and an empty database file (0600); return folders made."""
    made: list[Path] = []
    missing = []
    folder = path.parent
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            pass
        except OSError as error:
            raise StoreError(
                f"cannot create the data folder {folder}: {error.strerror or error}. "
                "Choose another place with --db PATH or CART_DB."
            ) from None
        made.append(folder)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
    except FileExistsError:
        pass
    except OSError as error:
        raise StoreError(
            f"cannot create the database {path}: {error.strerror or error}. "
            "Choose another place with --db PATH or CART_DB."
        ) from None
    return made


def sync_file(path: Path) -> None:
    """Make the operating system write ``path`` to the disk now (fsync)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


PARTIAL_SUFFIX = ".partial"
STALE_PARTIAL_S = 3600  # a partial file this old belongs to a cart that was killed
# tempfile.mkstemp's 8 random characters; SQLite may add -journal, -wal or -shm while it
# writes a backup into the partial file.
_PARTIAL_NAME = re.compile(r"\..+\.[a-z0-9_]{8}\.partial(-journal|-wal|-shm)?")
SQLITE_SIDE_FILES = ("-journal", "-wal", "-shm")


class Placement:
    """The hidden file to write (``partial``) and, once the block succeeded, where it was
    moved to (``final``)."""

    def __init__(self, partial: Path, target: Path) -> None:
        self.partial = partial
        self.final = target


@contextmanager
def private_file(
    target: Path,
    *,
    database: Path | None,
    overwrite: bool = False,
    numbered: bool = False,
    copy_of_database: bool = False,
) -> Iterator[Placement]:
    """Give a new, empty, owner-only (0600) hidden file beside ``target``; move it into place
    when the block succeeds, remove it when it fails or is interrupted (Ctrl-C, SIGTERM).
    Nothing half-written is ever left, and partial files that a killed cart left behind
    in the folder more than an hour ago are removed first.

    Every writer names the ``database`` it was opened on (``None`` only where the target
    is that database, being made): ``refuse_database_files`` then keeps the database, the
    files SQLite keeps beside it and every copy of a database out of reach, whatever
    ``overwrite`` says (a ``copy_of_database``, i.e. a backup, may replace an older copy).

    Without ``overwrite`` an existing ``target`` is never replaced, even by another cart
    writing the same name at the same moment: the file is put in place with a hard link,
    which fails if the name is taken. With ``numbered`` a taken name becomes NAME-2, -3...
    """
    import tempfile

    if target.is_dir():
        raise InvalidInput(f"{target} is a folder: give a file name.")
    if database is not None:
        refuse_database_files(target, database, copy_of_database=copy_of_database)
    if target.exists() and not overwrite and not numbered:
        raise TargetExists(target)
    if not target.parent.is_dir():
        raise InvalidInput(f"the folder {target.parent} does not exist.")
    sweep_stale_partials(target.parent)
    try:
        # mkstemp creates the file with O_EXCL and mode 0600, whatever the umask allows.
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=PARTIAL_SUFFIX)
    except OSError as error:
        raise StoreError(f"cannot write {target}: {os_words(error)}; nothing was written.") from None
    os.close(fd)
    placement = Placement(Path(name), target)
    try:
        yield placement
        if overwrite:
            os.replace(placement.partial, target)
        else:
            placement.final = _place_without_replacing(placement.partial, target, numbered)
    except OSError as error:
        raise StoreError(f"cannot write {target}: {os_words(error)}; nothing was written.") from None
    finally:
        placement.partial.unlink(missing_ok=True)
        for suffix in SQLITE_SIDE_FILES:  # what SQLite left beside a backup that failed
            placement.partial.with_name(placement.partial.name + suffix).unlink(missing_ok=True)


def _place_without_replacing(partial: Path, target: Path, numbered: bool) -> Path:
    """Give ``partial`` the name ``target`` (or, with ``numbered``, the first free
    NAME-2.ext, NAME-3.ext...) atomically, never replacing a file that exists."""
    number = 1
    while True:
        name = target if number == 1 else target.with_name(f"{target.stem}-{number}{target.suffix}")
        try:
            _link_or_claim(partial, name)
            return name
        except FileExistsError:
            if not numbered:
                raise TargetExists(target) from None
            number += 1


def _link_or_claim(partial: Path, name: Path) -> None:
    """A hard link fails if ``name`` exists. Where links are not possible (FAT or exFAT
    memory sticks), claim the name with an exclusive create, then move onto our own claim."""
    try:
        os.link(partial, name)
        return
    except FileExistsError:
        raise
    except OSError as error:
        import errno

        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
    os.close(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    os.replace(partial, name)


def sweep_stale_partials(folder: Path, *, now_s: float | None = None) -> list[Path]:
    """Remove cart's own hidden ``.NAME.xxxxxxxx.partial`` files (and the -journal, -wal and
    -shm files SQLite makes beside one) in ``folder`` that are older than an hour and belong
    to this user (left by a cart that was killed); return them.
    Anything else, or anything younger (another cart may be writing it), is left alone."""
    import time

    removed: list[Path] = []
    limit = (time.time() if now_s is None else now_s) - STALE_PARTIAL_S
    try:
        names = [name for name in os.listdir(folder) if ".partial" in name]
    except OSError:
        return removed
    for name in names:
        if not _PARTIAL_NAME.fullmatch(name):
            continue
        path = folder / name
        try:
            info = path.lstat()
            if stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid() and info.st_mtime < limit:
                path.unlink()
                removed.append(path)
        except OSError:
            continue
    return removed


FULL_DISK_BYTES = 1 << 20  # less free space than this, and a write that failed: the disk is full


def disk_is_full(folder: Path) -> bool:
    """Whether the file system of ``folder`` has (next to) no free space left: SQLite says
    only "disk I/O error" when a write finds the disk full."""
    import shutil

    try:
        return shutil.disk_usage(folder).free < FULL_DISK_BYTES
    except OSError:
        return False


def os_words(error: OSError) -> str:
    """An OSError as a few words: "the disk is full", "permission denied"..."""
    import errno

    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied (the folder or file belongs to someone else, or is read-only)"
    return (error.strerror or str(error)).lower()


# The first bytes of the files SQLite writes: a database (and so every backup of one), its
# write-ahead log (two magic numbers) and its rollback journal.
SQLITE_MAGIC = (
    b"SQLite format 3\x00",
    b"\x37\x7f\x06\x82",
    b"\x37\x7f\x06\x83",
    b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7",
)
DATABASE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def refuse_database_files(target: Path, database: Path, *, copy_of_database: bool = False) -> None:
    """The one check every writer of a file makes (reports, exports, calendars, backups):
    never write over the live database or its -wal/-shm/-journal files (by name, whether
    they exist yet or not, through any link), nor over any existing SQLite file (a backup,
    another database, a log or journal), which a --force must not turn into HTML. Only a
    backup (``copy_of_database``) may replace a database file that is not the live one."""
    for suffix in DATABASE_SUFFIXES:
        other = database.with_name(database.name + suffix)
        same = target.resolve() == other.resolve()
        if not same and target.exists() and other.exists():
            same = os.path.samefile(target, other)
        if same:
            raise InvalidInput(f"{target} is the database itself (or part of it): choose another file.")
    if copy_of_database or not target.is_file():
        return
    try:
        with open(target, "rb") as existing:
            start = existing.read(16)
    except OSError:
        return  # unreadable: the write itself will say why
    if start.startswith(SQLITE_MAGIC):
        raise InvalidInput(
            f"{target} is a database file (a cart database, a backup of one, or part of one): "
            "cart never writes over it; choose another file."
        )


@contextmanager
def private_output(target: Path, *, force: bool = False, database: Path | None = None) -> Iterator[TextIO]:
    """A text file for an export: written as a hidden 0600 file beside ``target`` and moved
    into place only when complete, so a failed export leaves nothing half-written behind.

    An existing ``target`` is refused unless ``force``; the database itself always is.
    """
    with (
        private_file(target, database=database, overwrite=force) as placement,
        open(placement.partial, "w", encoding="utf-8", newline="") as out,
    ):
        yield out
        out.flush()
        os.fsync(out.fileno())
