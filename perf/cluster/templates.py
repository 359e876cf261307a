"""The files in deploy/, made to run on loopback: checked substitutions, never separate copies.

Each substitution names text that must be in the shipped file, so a change to a file that the
harness does not follow stops the run with a message instead of testing something else.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


class TemplateError(RuntimeError):
    pass


def substitute(path: Path, replacements: dict[str, str]) -> str:
    text = path.read_text(encoding="utf-8")
    for old, new in replacements.items():
        if old not in text:
            raise TemplateError(
                f"{path.relative_to(ROOT)} no longer contains {old!r}: update perf/cluster "
                "to follow it"
            )
        text = text.replace(old, new)
    return text


def render(path: Path, replacements: dict[str, str], target: Path) -> Path:
    target.write_text(substitute(path, replacements), encoding="utf-8")
    return target


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines as systemd's EnvironmentFile= reads them (comments and blanks skipped)."""
    values = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise TemplateError(f"{path}:{number}: not KEY=VALUE: {line!r}")
        values[key.strip()] = value.strip().strip('"')
    return values


def render_env_file(overrides: dict[str, str], target: Path) -> dict[str, str]:
    """deploy/portal.env with some values changed; every changed key must be in the file."""
    source = DEPLOY / "portal.env"
    values = read_env_file(source)
    missing = sorted(set(overrides) - set(values))
    if missing:
        raise TemplateError(f"deploy/portal.env no longer sets {', '.join(missing)}")
    values.update(overrides)
    target.write_text("".join(f"{key}={value}\n" for key, value in values.items()))
    return values


@dataclass
class Unit:
    """The [Service] lines of a systemd unit that say what to run and how."""

    path: Path
    service: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> Unit:
        unit, section = cls(path), None
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line or line.startswith(("#", ";")):
                continue
            if line.startswith("["):
                section = line.strip("[]")
            elif section == "Service":
                key, _, value = line.partition("=")
                unit.service.setdefault(key, []).append(value)
        return unit

    def one(self, key: str) -> str:
        values = self.service.get(key)
        if not values or len(values) != 1:
            raise TemplateError(f"{self.path.name} must have exactly one {key}=")
        return values[0]

    def command(self, paths: dict[str, str], instance: str = "") -> Command:
        """ExecStart with the environment it runs in, as systemd would start it: Environment=
        lines, then EnvironmentFile= files overriding them, then UnsetEnvironment= (systemd.exec);
        Nice= becomes a `nice -n` in front."""

        def local(text):
            for old, new in paths.items():
                text = text.replace(old, new)
            return text.replace("%i", instance)

        environment = {}
        for assignment in self.service.get("Environment", []):
            for pair in shlex.split(local(assignment)):
                key, _, value = pair.partition("=")
                environment[key] = value
        for env_file in self.service.get("EnvironmentFile", []):
            environment.update(read_env_file(Path(local(env_file))))
        unset = {n for names in self.service.get("UnsetEnvironment", []) for n in names.split()}
        for name in unset:
            environment.pop(name, None)

        def expand(match):
            name = match.group(1) or match.group(2)
            if name not in environment:
                raise TemplateError(f"{self.path.name} uses ${name}, which nothing sets")
            return environment[name]

        line = re.sub(r"\$\{(\w+)\}|\$(\w+)", expand, local(self.one("ExecStart")))
        argv = shlex.split(line)
        if "Nice" in self.service:
            argv = ["nice", "-n", self.one("Nice"), *argv]
        return Command(argv, environment, Path(local(self.one("WorkingDirectory"))), unset)


@dataclass
class Command:
    argv: list[str]
    environment: dict[str, str]
    cwd: Path
    # Names the unit removes from the environment: gone even if the caller's own has them.
    unset: set[str] = field(default_factory=set)

    def process_environment(self, inherited: dict[str, str]) -> dict[str, str]:
        merged = {**inherited, **self.environment}
        return {key: value for key, value in merged.items() if key not in self.unset}
