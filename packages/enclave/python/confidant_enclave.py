"""Confidant's app-side helpers for Python iApps (standard library only).

The same API as `@confidant/enclave/app`: read the task's arguments, input files, secrets and
protected data, and write the result. It reads only the IEXEC_* environment a worker sets
(Confidant's runner, `confidant test`, or iExec's workers) and files. Copy this file next to your
app and `import confidant_enclave`.

Protected data is read as iExec's deserializer does: a dotted path maps to the zip entry a/b/c;
"bool", "f64", "i128", "string" are borsh, "boolean" and "number" are legacy types, any other type
(a MIME type) gives bytes. Modes: "optimistic" (default: borsh, strings fall back to raw UTF-8),
"borsh", "legacy". Entries are read lazily (zipfile reads the directory, then each entry asked for).
"""

import json
import math
import os
import struct
import sys
import zipfile

RESULT_FILE_NAME_MAX_LENGTH = 31

__all__ = [
    "ConfidantError",
    "MissingProtectedDataError",
    "MissingValueError",
    "ValueTypeError",
    "ResultFileError",
    "TaskEnvironmentError",
    "get_args",
    "get_input_files",
    "get_requester_secret",
    "get_requester_secrets",
    "get_app_developer_secret",
    "get_protected_data",
    "get_bulk_protected_data",
    "get_value",
    "write_result_file",
    "write_computed_json",
    "RESULT_FILE_NAME_MAX_LENGTH",
]


class ConfidantError(Exception):
    """Base of the helper's errors: a short message, then what to do next."""

    def __init__(self, message, hint=None):
        super().__init__(message if hint is None else "%s\n-> %s" % (message, hint))
        self.short_message = message
        self.hint = hint


class TaskEnvironmentError(ConfidantError):
    def __init__(self, variable):
        super().__init__(
            "%s is not set: this code expects to run as an iApp inside a task" % variable,
            "Run the app with `confidant test` or through a worker, which set the IEXEC_* variables.",
        )


class MissingProtectedDataError(ConfidantError):
    def __init__(self, details=None):
        super().__init__("Missing protected data", details)


class MissingValueError(ConfidantError):
    def __init__(self, path):
        super().__init__(
            "Failed to load path %s" % path,
            "Check the path against the protected data schema (dots separate nested keys).",
        )
        self.path = path


class ValueTypeError(ConfidantError):
    def __init__(self, path, type_, mode, reason):
        super().__init__('Failed to deserialize "%s" as "%s" in "%s" mode' % (path, type_, mode), reason)
        self.path = path


class ResultFileError(ConfidantError):
    def __init__(self, name, reason):
        super().__init__(
            'cannot write the result file "%s": %s' % (name, reason),
            "Write plain files directly in IEXEC_OUT with names of at most 31 characters.",
        )


def _env(name, environ=None):
    value = (os.environ if environ is None else environ).get(name)
    return value if value else None


def _count(name, environ):
    try:
        return max(0, int(_env(name, environ) or "0"))
    except ValueError:
        return 0


# --- arguments, input files, secrets ---------------------------------------------------------


def get_args(argv=None):
    """The app's arguments: the request's iexec_args, given as the command's arguments."""
    return list((sys.argv if argv is None else argv)[1:])


def get_input_files(environ=None):
    """The task's input files, in the request's order: dicts {index, name, path}."""
    folder = _env("IEXEC_INPUT_FILES_FOLDER", environ) or _env("IEXEC_IN", environ)
    files = []
    for n in range(1, _count("IEXEC_INPUT_FILES_NUMBER", environ) + 1):
        name = _env("IEXEC_INPUT_FILE_NAME_%d" % n, environ)
        if name is None:
            continue
        if folder is None:
            raise TaskEnvironmentError("IEXEC_INPUT_FILES_FOLDER")
        files.append({"index": n, "name": name, "path": os.path.join(folder, name)})
    return files


def get_requester_secret(index, environ=None):
    """A requester secret by its index in the request's iexec_secrets, or None."""
    return (os.environ if environ is None else environ).get("IEXEC_REQUESTER_SECRET_%d" % int(index))


def get_requester_secrets(environ=None):
    """Every requester secret, by index."""
    secrets = {}
    for key, value in (os.environ if environ is None else environ).items():
        if key.startswith("IEXEC_REQUESTER_SECRET_") and key[23:].isdigit():
            secrets[int(key[23:])] = value
    return secrets


def get_app_developer_secret(environ=None):
    """The app developer's secret, or None."""
    return (os.environ if environ is None else environ).get("IEXEC_APP_DEVELOPER_SECRET")


# --- protected data --------------------------------------------------------------------------


def _borsh_string(data):
    if len(data) < 4:
        return None
    (length,) = struct.unpack_from("<I", data, 0)
    if length != len(data) - 4:
        return None
    try:
        return data[4:].decode("utf-8")
    except UnicodeDecodeError:
        return None


def _js_number(text):
    # JavaScript's Number(string), which legacy "number" values go through in iExec's reader.
    text = text.strip()
    if text == "":
        return 0.0
    if text in ("Infinity", "+Infinity"):
        return math.inf
    if text == "-Infinity":
        return -math.inf
    lowered = text.lower()
    try:
        if lowered.startswith(("0x", "0o", "0b")):
            return float(int(text, 0))
        if "inf" in lowered or "nan" in lowered or "_" in text:
            return math.nan
        return float(text)
    except ValueError:
        return math.nan


def decode_value(path, data, type_, mode="optimistic"):
    """Decodes an entry's bytes as a schema type, with the rules of iExec's deserializer."""
    if type_ in ("bool", "f64", "i128"):
        if mode == "legacy":
            raise ValueTypeError(path, type_, mode, '"%s" is not a type of legacy protected data' % type_)
        if type_ == "bool":
            if len(data) != 1 or data[0] > 1:
                raise ValueTypeError(path, type_, mode, "not a borsh bool")
            return data[0] == 1
        if type_ == "f64":
            if len(data) != 8:
                raise ValueTypeError(path, type_, mode, "not a borsh f64")
            return struct.unpack("<d", data)[0]
        if len(data) != 16:
            raise ValueTypeError(path, type_, mode, "not a borsh i128")
        return int.from_bytes(data, "little", signed=True)
    if type_ == "string":
        if mode != "legacy":
            value = _borsh_string(data)
            if value is not None:
                return value
            if mode == "borsh":
                raise ValueTypeError(path, type_, mode, "not a borsh string")
        return data.decode("utf-8", errors="replace")
    if type_ == "number":
        if mode == "borsh":
            raise ValueTypeError(path, type_, mode, '"number" is a legacy type; ask for "f64"')
        return _js_number(data.decode("utf-8", errors="replace"))
    if type_ == "boolean":
        if mode == "borsh":
            raise ValueTypeError(path, type_, mode, '"boolean" is a legacy type; ask for "bool"')
        if len(data) != 1 or data[0] > 1:
            raise ValueTypeError(path, type_, mode, "not a bool")
        return data[0] == 1
    return bytes(data)


class ProtectedData:
    """A decrypted protected data archive on disk, read lazily."""

    def __init__(self, path, mode="optimistic"):
        if mode not in ("optimistic", "borsh", "legacy"):
            raise ValueError('mode is one of "optimistic", "borsh", "legacy"')
        self.path = path
        self.mode = mode
        self._zip = zipfile.ZipFile(path)

    def paths(self):
        """Every entry path of the archive (folders end with /)."""
        return self._zip.namelist()

    def get_value(self, path, type_):
        """The value at a dotted path, decoded by its schema type."""
        name = "/".join(path.split("."))
        try:
            data = self._zip.read(name)
        except KeyError:
            raise MissingValueError(path) from None
        except (zipfile.BadZipFile, OSError) as error:
            raise ValueTypeError(path, type_, self.mode, "the archive is damaged: %s" % error) from None
        return decode_value(path, data, type_, self.mode)

    def close(self):
        self._zip.close()

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.close()


def _open(folder, filename, mode):
    if filename is None:
        raise MissingProtectedDataError("the task has no protected data (IEXEC_DATASET_FILENAME is not set)")
    if folder is None:
        raise TaskEnvironmentError("IEXEC_IN")
    path = os.path.join(folder, filename)
    if not os.path.isfile(path):
        raise MissingProtectedDataError("no file %s in IEXEC_IN" % filename)
    return ProtectedData(path, mode)


def get_protected_data(mode="optimistic", environ=None):
    """The task's protected data ($IEXEC_IN/$IEXEC_DATASET_FILENAME), or MissingProtectedDataError."""
    return _open(_env("IEXEC_IN", environ), _env("IEXEC_DATASET_FILENAME", environ), mode)


def get_value(path, type_, mode="optimistic", environ=None):
    """One value of the task's protected data: get_value("email", "string")."""
    with get_protected_data(mode, environ) as data:
        return data.get_value(path, type_)


def get_bulk_protected_data(mode="optimistic", environ=None):
    """The protected data of a bulk task, in order (IEXEC_BULK_SLICE_SIZE, IEXEC_DATASET_<i>_FILENAME)."""
    folder = _env("IEXEC_IN", environ)
    readers = []
    for i in range(1, _count("IEXEC_BULK_SLICE_SIZE", environ) + 1):
        filename = _env("IEXEC_DATASET_%d_FILENAME" % i, environ)
        if filename is not None:
            readers.append(_open(folder, filename, mode))
    return readers


# --- results ---------------------------------------------------------------------------------


def _out_dir(environ):
    out = _env("IEXEC_OUT", environ)
    if out is None:
        raise TaskEnvironmentError("IEXEC_OUT")
    return out


def write_result_file(name, content, environ=None):
    """Writes a result file in IEXEC_OUT (str is written as UTF-8) and returns its path."""
    if name in ("", ".", "..") or "/" in name or "\\" in name or "\0" in name:
        raise ResultFileError(name, "it must be a plain file name, without folders")
    if len(name.encode("utf-8")) > RESULT_FILE_NAME_MAX_LENGTH:
        raise ResultFileError(name, "its name is longer than %d bytes" % RESULT_FILE_NAME_MAX_LENGTH)
    out = _out_dir(environ)
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, name)
    with open(path, "wb") as file:
        file.write(content.encode("utf-8") if isinstance(content, str) else bytes(content))
    return path


def write_computed_json(deterministic_output_path=None, callback_data=None, error_message=None, environ=None):
    """Writes $IEXEC_OUT/computed.json, which post-compute requires; returns its path."""
    out = _out_dir(environ)
    computed = {}
    if error_message is not None:
        computed["error-message"] = error_message
    else:
        if callback_data is not None:
            computed["callback-data"] = callback_data
        computed["deterministic-output-path"] = deterministic_output_path or out
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, "computed.json")
    with open(path, "w", encoding="utf-8") as file:
        json.dump(computed, file)
    return path
