"""Resident memory of this process, from /proc/self/status (KiB)."""


def resident_kib(field: str = "VmRSS") -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0
