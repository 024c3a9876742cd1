"""Extracts an uploaded ZIP, refusing anything that could escape the target or exhaust the disk.

`python unzip_safe.py <zip> <target>`: exit 2 with a message on stderr when the archive is refused or damaged.
Sizes are counted as the bytes come out, not taken from the headers, which an archive can lie about.
"""

import re
import shutil
import stat
import sys
import zipfile
import zlib
from pathlib import Path, PurePosixPath

MAX_ENTRIES = 20_000
MAX_TOTAL = 500 * 1024 * 1024
MAX_RATIO = 200
CHUNK = 1024 * 1024
# The same rule as the server's for every path from a request: no "\", ":", NUL or control characters.
FORBIDDEN = re.compile(r"[\\:\x00-\x1f\x7f]")


class Refused(Exception):
    pass


def check_name(name):
    parts = PurePosixPath(name).parts
    if (
        name.startswith("/")
        or FORBIDDEN.search(name)
        or ".." in parts
        or any(p.startswith("-") for p in parts)
    ):
        raise Refused(f"The archive entry {name!r} points outside the project or has a name not allowed in a file name.")


def extract(archive, target):
    target = Path(target).resolve()
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise Refused("The upload is not a ZIP archive (or it is damaged).")
    with zf:
        members = zf.infolist()
        if len(members) > MAX_ENTRIES:
            raise Refused(f"The archive has {len(members)} entries; at most {MAX_ENTRIES} are accepted.")
        if sum(m.file_size for m in members) > MAX_TOTAL:
            raise Refused("The archive expands to more than 500 MiB.")
        for m in members:
            check_name(m.filename)
            mode = (m.external_attr >> 16) & 0xFFFF
            if stat.S_ISLNK(mode):
                raise Refused(f"The archive entry {m.filename!r} is a symbolic link; links are not imported.")
            if m.compress_size and m.file_size / m.compress_size > MAX_RATIO and m.file_size > 10 * 1024 * 1024:
                raise Refused(f"The archive entry {m.filename!r} looks like a ZIP bomb.")
            destination = (target / m.filename).resolve()
            if destination != target and target not in destination.parents:
                raise Refused(f"The archive entry {m.filename!r} points outside the project.")
        target.mkdir(parents=True, exist_ok=True)
        total = 0
        for m in members:
            destination = target / m.filename
            if m.is_dir():
                destination.mkdir(parents=True, exist_ok=True)
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(m) as source, open(destination, "wb") as out:
                while True:
                    chunk = source.read(CHUNK)
                    if not chunk:
                        break
                    total += len(chunk)
                    if total > MAX_TOTAL:
                        raise Refused("The archive expands to more than 500 MiB.")
                    out.write(chunk)
            # The execute bit comes along (a script run as ./x stays runnable); nothing else of the mode does.
            if stat.S_ISREG((m.external_attr >> 16) & 0xFFFF) and (m.external_attr >> 16) & 0o111:
                destination.chmod(0o755)


def main(archive, target):
    try:
        extract(archive, target)
    except Refused as refused:
        message = str(refused)
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        message = f"The archive is damaged ({error}); nothing was imported."
    except NotImplementedError as error:
        message = f"The archive uses a feature that cannot be read ({error})."
    except RuntimeError as error:  # encrypted entries
        message = f"The archive cannot be read ({error}); encrypted archives are not supported."
    except OSError as error:
        message = f"The archive could not be extracted ({error.strerror or error}): two entries may collide."
    else:
        return
    shutil.rmtree(target, ignore_errors=True)
    print(message, file=sys.stderr)
    sys.exit(2)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
