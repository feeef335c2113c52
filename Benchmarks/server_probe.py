"""What the load scripts read off a running orderbot: its /metrics samples and its CPU time."""

import http.client
import os


def scrape(host, port):
    """GET /metrics: (text, {sample with labels: value}); lines that are not a number are skipped."""
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        connection.request("GET", "/metrics")
        text = connection.getresponse().read().decode()
    finally:
        connection.close()
    samples = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            try:
                samples[name] = float(value)
            except ValueError:
                pass
    return text, samples


def server_cpu_seconds(pid):
    """utime + stime of the server process, from /proc (fields 14 and 15); None without a pid."""
    if not pid:
        return None
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
