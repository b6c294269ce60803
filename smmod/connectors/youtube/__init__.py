"""YouTube (Data API v3): comment threads in, including those held for review; reply,
reject (hide) and reject with a ban of the author (block) out."""
