"""Seed Isso's SQLite database with threads shaped like ours (run with the Python of Isso's venv).

Isso creates its own schema (``isso.db.SQLite3``, the class its server opens the database with);
the comments are then inserted in one transaction with the values ``Comments.add`` would store
(accepted, a voters Bloom filter of the author's address), because ``add`` commits once per comment.
Usage: python bench/isso_seed.py CONFIG URI:THREADS:REPLIES [URI:THREADS:REPLIES ...]
"""

import sqlite3
import sys
import time

from isso import config
from isso.db import SQLite3
from isso.utils import Bloomfilter

ACCEPTED = 1


def seed(conf_path, specs):
    conf = config.load(config.default_file(), conf_path)
    dbpath = conf.get("general", "dbpath")
    SQLite3(dbpath, conf)  # creates the schema (and the session key) as the server would
    voters = memoryview(Bloomfilter(iterable=["192.0.2.0"]).array)
    start = time.time() - 86400
    with sqlite3.connect(dbpath) as con:
        for spec in specs:
            uri, threads, replies = spec.rsplit(":", 2)
            threads, replies = int(threads), int(replies)
            con.execute("DELETE FROM comments WHERE tid IN (SELECT id FROM threads WHERE uri=?)", (uri,))
            con.execute("DELETE FROM threads WHERE uri=?", (uri,))
            tid = con.execute("INSERT INTO threads (uri, title) VALUES (?, ?)", (uri, f"Thread {uri}")).lastrowid
            n = 0
            for _ in range(threads):
                root = None
                for position in range(1 + replies):
                    row = (
                        tid,
                        root,
                        start + n,
                        None,
                        ACCEPTED,
                        "192.0.2.0",
                        f"Comment {n} on the article.",
                        f"Reader {n}",
                        f"reader{n}@example.com",
                        None,
                        voters,
                        0,
                    )
                    cursor = con.execute(
                        "INSERT INTO comments (tid, parent, created, modified, mode, remote_addr, text, author,"
                        " email, website, voters, notification) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        row,
                    )
                    if position == 0:
                        root = cursor.lastrowid
                    n += 1
            sys.stdout.write(f"isso: {uri}: {n} comments ({threads} threads of 1 + {replies})\n")


if __name__ == "__main__":
    seed(sys.argv[1], sys.argv[2:])
