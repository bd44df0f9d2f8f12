namespace TechTransfer.Listings;

/// <summary>What a catalogue import did with one row.</summary>
public enum SyncOutcome { Created, Updated, Unchanged }
