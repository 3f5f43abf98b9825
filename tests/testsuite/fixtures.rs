//! Fixture libraries shared by several test files.

use crate::support::Lib;

/// A small library that uses every section of the site: incidents (one nested a folder deep),
/// notes in two formats, plain pages, a factor registry, hand-written pattern text, an asset
/// beside a document and a `static/` file.
pub fn full_library() -> Lib {
    Lib::new(&[
        (
            "book.toml",
            r#"[book]
title = "Acme incident library"
description = "What broke and why"

[patterns]
recurring = 2

[severity]
levels = ["SEV1", "SEV2", "SEV3", "SEV4"]
"#,
        ),
        (
            "content/factors.yaml",
            r#"config-change:
  title: Configuration change
  category: Change management
  aliases: [config change, misconfiguration]
  description: A change to configuration set the incident in motion.
missing-timeout:
  title: Missing timeout
  category: Resilience
retry-storm:
  title: Retry storm
  category: Resilience
"#,
        ),
        (
            "content/incidents/2024-03-12-checkout-ttl.md",
            r#"---
title: Checkout errors after resolver TTL change
date: 2024-03-12
severity: SEV1
services: [checkout, dns]
teams: [payments]
tags: [dns]
times:
  started: 2024-03-12T14:02:00Z
  detected: 2024-03-12T14:19:00Z
  acknowledged: 2024-03-12T14:21:00Z
  mitigated: 2024-03-12T15:40:00Z
  resolved: 2024-03-12T16:17:00Z
factors:
  - config-change
  - factor: missing-timeout
    role: predisposing
    note: The resolver client had no timeout.
action_items:
  - title: Add a timeout to the resolver client
    status: done
    done: 2024-03-20
    owner: payments
    addresses: [missing-timeout]
related: [2023-11-02-dns-cache-outage]
aliases: [checkout-ttl]
---
## Summary

Lowering the TTL made checkout fail for two hours.

## Timeline

| time | event |
|------|-------|
| 14:02 | TTL lowered |

Background: [[how-complex-systems-fail]] and [the same note](../notes/how-complex-systems-fail.md).

```yaml
ttl: 30
```
"#,
        ),
        (
            "content/incidents/2023/2023-11-02-dns-cache-outage.md",
            r#"---
title: DNS cache outage
severity: SEV2
services: [dns]
teams: [platform]
tags: [dns, caching]
factors: [missing-timeout, retry storm]
---
The cache fell over. ![queue depth](graph.svg)
"#,
        ),
        ("content/incidents/2023/graph.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n"),
        (
            "content/incidents/2024-06-01-retry-storm.md",
            r#"---
title: Retry storm in notifications
severity: SEV3
services: [notifications]
factors: [Retry_Storm, missing_timeout]
---
Clients retried without backoff.
"#,
        ),
        (
            "content/notes/how-complex-systems-fail.md",
            r#"---
title: How Complex Systems Fail
kind: paper
authors: [Richard I. Cook]
published: 1998
url: https://how.complexsystems.fail/
date: 2024-03-02
summary: Catastrophe needs several latent failures.
factors: [missing-timeout]
incidents: [2024-03-12-checkout-ttl]
tags: [resilience]
---
Notes on the paper.
"#,
        ),
        (
            "content/notes/ironies-of-automation.txt",
            "Title: Ironies of Automation\nPublication date: 1983-01-01\n\nAutomation leaves the hardest tasks to people.\n",
        ),
        ("content/about.md", "# About\n\nThis library collects our incidents.\n"),
        (
            "content/start-here.md",
            "# Start here\n\nRead [[How Complex Systems Fail]] first, then [[ironies-of-automation|the ironies]].\n",
        ),
        ("content/patterns/missing-timeout.md", "Every call across the network\nneeds a deadline.\n"),
        ("content/static/robots.txt", "User-agent: *\n"),
    ])
}
