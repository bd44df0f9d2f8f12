namespace TechTransfer.Storage;

/// <summary>
/// The one write rule of every grain (docs/reliability.md, "One write rule"). A change is written as: the grain's
/// state (the truth), then what is derived from it (projection rows), and only then answered. If either write fails
/// the call fails and the activation is dropped, so the next call reloads what storage holds — the failed call's
/// change in memory is discarded with it, never answered from — and re-writes the derived rows, which are upserts
/// guarded by version and therefore safe to repeat.
/// </summary>
public static class GrainWrites
{
    /// <param name="rollback">
    /// Undoes the change in memory when the state write fails, for state that must not be seen even by a call that
    /// interleaves before the activation is gone (a sealed bid that would get a receipt).
    /// </param>
    public static async Task WriteStateThenAsync<TState>(
        this IGrainBase grain, IPersistentState<TState> state, Func<Task>? derived = null, Action? rollback = null)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            rollback?.Invoke();
            grain.DeactivateOnIdle();
            throw;
        }
        if (derived is null) return;
        try
        {
            await derived();
        }
        catch
        {
            // The state is stored; the derived rows are behind it. The next activation re-writes them.
            grain.DeactivateOnIdle();
            throw;
        }
    }
}
