namespace TechTransfer.Accounts;

/// <summary>
/// Failed password checks of one account, per source (IP address, IPv6 by /64), in the account grain's memory. A
/// source's failure number <see cref="AccountOptions.FailuresBeforeBackoff"/> in a row makes it wait
/// <see cref="AccountOptions.FirstBackoff"/>, and each further failure (an attempt while waiting counts as one)
/// doubles the wait, up to <see cref="AccountOptions.MaxBackoff"/>. Other sources are not affected, so nobody
/// can lock an owner out from elsewhere. A success forgets the source; a quiet day forgets it too.
/// </summary>
public sealed class SignInThrottle(AccountOptions options)
{
    // Bounds the memory one account can be made to hold; the stalest source goes first.
    const int MaxSources = 10_000;
    static readonly TimeSpan ForgetAfter = TimeSpan.FromDays(1);

    sealed class Source
    {
        public int Failures;
        public DateTimeOffset LastFailure;
        public DateTimeOffset WaitUntil;
    }

    readonly Dictionary<string, Source> sources = [];

    /// <summary>Until when <paramref name="source"/> must wait, or null if it may try now.</summary>
    public DateTimeOffset? WaitUntil(string source, DateTimeOffset now) =>
        sources.TryGetValue(source, out var s) && s.WaitUntil > now ? s.WaitUntil : null;

    /// <summary>Counts a failure (or an attempt made while waiting); returns until when the source must now wait, if at all.</summary>
    public DateTimeOffset? Fail(string source, DateTimeOffset now)
    {
        if (!sources.TryGetValue(source, out var s))
        {
            if (sources.Count >= MaxSources) Prune(now);
            sources[source] = s = new Source();
        }
        else if (now - s.LastFailure > ForgetAfter) s.Failures = 0;
        s.Failures++;
        s.LastFailure = now;
        var beyondFree = s.Failures - options.FailuresBeforeBackoff;
        if (beyondFree < 0) return null;
        // 2^beyondFree, without overflowing for a source that keeps going.
        var wait = beyondFree >= 30 ? options.MaxBackoff : TimeSpan.FromTicks(Math.Min(options.MaxBackoff.Ticks, options.FirstBackoff.Ticks * (1L << beyondFree)));
        s.WaitUntil = now + wait;
        return s.WaitUntil;
    }

    public void Succeeded(string source) => sources.Remove(source);

    void Prune(DateTimeOffset now)
    {
        foreach (var key in sources.Where(e => now - e.Value.LastFailure > ForgetAfter).Select(e => e.Key).ToList()) sources.Remove(key);
        if (sources.Count >= MaxSources) sources.Remove(sources.MinBy(e => e.Value.LastFailure).Key);
    }
}
