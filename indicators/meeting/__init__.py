"""The meeting's memory (issue 16): owners' notes, frozen snapshots, what changed between them, status
history and the briefing book. Each module opens the store for one piece of work, as indicators.service."""
