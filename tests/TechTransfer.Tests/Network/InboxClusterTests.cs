using System.Collections.Concurrent;
using TechTransfer.Notifications;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Network;

/// <summary>Inboxes across a 2-silo cluster: what a host's relay relies on, without the web layer.</summary>
[Collection(ClusterCollection.Name)]
public sealed class InboxClusterTests(ClusterFixture fixture)
{
    sealed class Recorder : IInboxObserver
    {
        public readonly ConcurrentQueue<(string Inbox, Notification Notification)> Received = new();

        public Task DeliverAsync(string inbox, Notification notification)
        {
            Received.Enqueue((inbox, notification));
            return Task.CompletedTask;
        }
    }

    static NotificationDraft Draft(int n) => NotificationDraft.Of($"evt-{n}", new ListingPublished(
        $"ach-{n}", "achievement", $"第{n}项成果", "NewEnergy", "江苏", "yangtze-delta", n, 0));

    [Fact]
    public async Task Events_appended_through_one_silo_reach_an_observer_on_the_other_once_each_with_increasing_ids()
    {
        var siloA = fixture.GrainsOnSilo(0);
        var siloB = fixture.GrainsOnSilo(1);
        var recorder = new Recorder();
        var observer = siloB.CreateObjectReference<IInboxObserver>(recorder);
        var run = Guid.NewGuid().ToString("N")[..8];
        var inboxes = Enumerable.Range(0, 8).Select(i => Inboxes.User($"acct-{run}-{i}")).ToArray(); // activations spread over both silos
        foreach (var inbox in inboxes) Assert.Equal(0, await siloB.GetGrain<IInboxGrain>(inbox).SubscribeAsync("host-b", observer));

        for (var n = 1; n <= 20; n++)
            foreach (var attempt in new[] { 1, 2 }) // every event sent twice, as a retried publish would
                await Task.WhenAll(inboxes.Select(inbox => siloA.GetGrain<IInboxGrain>(inbox).AppendAsync(Draft(n))));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (recorder.Received.Count < inboxes.Length * 20 && DateTime.UtcNow < deadline) await Task.Delay(20);
        await Task.Delay(200); // room for a duplicate to show up
        foreach (var inbox in inboxes)
        {
            var ids = recorder.Received.Where(r => r.Inbox == inbox).Select(r => r.Notification.Id).Order().ToList();
            Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), ids);
            var stored = await siloB.GetGrain<IInboxGrain>(inbox).ReadAfterAsync(0, 100);
            Assert.Equal(Enumerable.Range(1, 20).Select(i => $"evt-{i}"), stored.Select(s => s.EventId)); // stored in order
        }
    }

    [Fact]
    public async Task Events_handed_to_one_inbox_at_once_are_stored_once_each_with_increasing_ids_and_each_pushed_once()
    {
        // A center's inbox under load: appends arrive while earlier ones are still being committed, and some events
        // twice at once (a retried publish racing the first).
        var recorder = new Recorder();
        var observer = fixture.GrainsOnSilo(1).CreateObjectReference<IInboxObserver>(recorder);
        var inbox = Inboxes.Region($"busy-{Guid.NewGuid():N}");
        var grain = fixture.GrainsOnSilo(0).GetGrain<IInboxGrain>(inbox);
        await grain.SubscribeAsync("host-b", observer);

        await Task.WhenAll(Enumerable.Range(1, 300).SelectMany(n => new[] { grain.AppendAsync(Draft(n)), grain.AppendAsync(Draft(n)) }));

        var stored = await grain.ReadAfterAsync(0, InboxGrain.Capacity);
        Assert.Equal(300, stored.Length);
        Assert.Equal(Enumerable.Range(1, 300).Select(n => $"evt-{n}").Order(), stored.Select(s => s.EventId).Order());
        Assert.True(stored.Zip(stored.Skip(1)).All(p => p.First.Id < p.Second.Id), "ids increase");
        Assert.Equal(stored[^1].Id, await grain.SubscribeAsync("host-b", observer)); // the last id a host is told of is the last stored
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (recorder.Received.Count < stored.Length && DateTime.UtcNow < deadline) await Task.Delay(20);
        await Task.Delay(200); // room for a duplicate to show up
        Assert.Equal(stored.Select(s => s.Id), recorder.Received.Select(r => r.Notification.Id).Order());
    }

    [Fact]
    public async Task An_inbox_keeps_its_events_and_ids_when_its_grain_is_reactivated()
    {
        var inbox = Inboxes.Organization($"org-{Guid.NewGuid():N}");
        var grain = fixture.Grains.GetGrain<IInboxGrain>(inbox);
        for (var n = 1; n <= 3; n++) await grain.AppendAsync(Draft(n));
        await fixture.Cluster.DeactivateAsync(grain);
        await grain.AppendAsync(Draft(4));
        await grain.AppendAsync(Draft(2)); // already there: ignored
        var stored = await grain.ReadAfterAsync(0, 100);
        Assert.Equal([1L, 2, 3, 4], stored.Select(s => s.Id));
        Assert.Equal(["evt-1", "evt-2", "evt-3", "evt-4"], stored.Select(s => s.EventId));
        Assert.Equal([3L, 4], (await grain.ReadAfterAsync(2, 100)).Select(s => s.Id));
    }

    [Fact]
    public async Task An_event_is_stored_once_for_all_its_inboxes_and_its_payload_goes_when_the_last_inbox_trims_it()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        NotificationDraft Event(string name) => NotificationDraft.Of($"{run}-{name}", new ListingPublished(
            $"ach-{run}-{name}", "achievement", $"成果{name}", "NewEnergy", "江苏", "yangtze-delta", 1, 0));
        var (a, b) = (fixture.Grains.GetGrain<IInboxGrain>(Inboxes.User($"acct-{run}-a")), fixture.Grains.GetGrain<IInboxGrain>(Inboxes.User($"acct-{run}-b")));
        await Task.WhenAll(a.AppendAsync(Event("shared")), b.AppendAsync(Event("shared")), a.AppendAsync(Event("only-a")));
        Assert.Equal(1, await fixture.Database.CountAsync($"SELECT count(*) FROM tt_event WHERE event_id = '{run}-shared'"));
        Assert.Equal(2, await fixture.Database.CountAsync($"SELECT count(*) FROM tt_notification WHERE event_id = '{run}-shared'"));

        // Inbox a overflows (capacity 1,000; trims by hundreds): its first events fall out of it.
        await Task.WhenAll(Enumerable.Range(3, InboxGrain.Capacity - 2 + 100).Select(n => a.AppendAsync(Event($"filler-{n}"))));
        var kept = await a.ReadAfterAsync(0, InboxGrain.Capacity);
        Assert.Equal(Enumerable.Range(101, InboxGrain.Capacity).Select(i => (long)i), kept.Select(n => n.Id));
        Assert.Equal(0, await fixture.Database.CountAsync($"SELECT count(*) FROM tt_event WHERE event_id = '{run}-only-a'"));
        Assert.Equal(1, await fixture.Database.CountAsync($"SELECT count(*) FROM tt_event WHERE event_id = '{run}-shared'"));
        Assert.Equal($"{run}-shared", (await b.ReadAfterAsync(0, 10)).Single().EventId); // b still holds it, payload and all
        Assert.Contains($"\"ach-{run}-shared\"", (await b.ReadAfterAsync(0, 10)).Single().Payload);
    }

    [Fact]
    public async Task Rows_written_together_keep_their_own_outcomes_a_taken_number_fails_only_its_own_row()
    {
        await using var db = Npgsql.NpgsqlDataSource.Create(fixture.Database.ConnectionString);
        using var log = new NotificationLog(db);
        var run = Guid.NewGuid().ToString("N")[..8];
        var (a, b) = ($"user:acct-{run}-a", $"user:acct-{run}-b");

        // Handed in at once, so they share batches: 50 inboxes, one row each.
        var many = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => log.InsertAsync($"{a}-{i}", 1, Draft(1))));
        Assert.All(many, stored => Assert.NotNull(stored));

        Assert.NotNull(await log.InsertAsync(a, 1, Draft(1)));
        var attempts = new[] { log.InsertAsync(a, 1, Draft(2)), log.InsertAsync(b, 1, Draft(1)), log.InsertAsync(a, 2, Draft(1)) };
        var taken = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => attempts[0]);   // number 1 of inbox a is taken
        Assert.Equal(Npgsql.PostgresErrorCodes.UniqueViolation, taken.SqlState);
        Assert.NotNull(await attempts[1]);                                                    // another inbox: stored
        Assert.Null(await attempts[2]);                                                       // evt-1 is in inbox a already
    }

    [Fact]
    public async Task Writers_storing_rows_of_the_same_events_in_any_order_do_not_deadlock()
    {
        // Two hosts' logs (two writers each) hand in the rows of the same events, shuffled: a dozen inboxes per event
        // is what every match does. In arrival order, two batches could each hold one event row the other needed.
        await using var db = Npgsql.NpgsqlDataSource.Create(fixture.Database.ConnectionString);
        using var hostA = new NotificationLog(db);
        using var hostB = new NotificationLog(db);
        var random = new Random(7);
        for (var round = 0; round < 20; round++) // a deadlock needs unlucky timing: most runs of the unordered writer met one
        {
            var run = Guid.NewGuid().ToString("N")[..8];
            NotificationDraft Event(int n) => NotificationDraft.Of($"{run}-{n}", new ListingPublished(
                $"ach-{run}-{n}", "achievement", $"成果{n}", "NewEnergy", "江苏", "yangtze-delta", n, 0));
            var rows = (from e in Enumerable.Range(1, 30) from i in Enumerable.Range(0, 20) select (Inbox: $"user:acct-{run}-{i}", Event: e))
                .OrderBy(_ => random.Next()).ToList();
            var stored = await Task.WhenAll(rows.Select((r, n) => (n % 2 == 0 ? hostA : hostB).InsertAsync(r.Inbox, r.Event, Event(r.Event))));
            Assert.All(stored, at => Assert.NotNull(at));
            Assert.Equal(30, await fixture.Database.CountAsync($"SELECT count(*) FROM tt_event WHERE event_id LIKE '{run}-%'"));
            Assert.Equal(600, await fixture.Database.CountAsync($"SELECT count(*) FROM tt_notification WHERE event_id LIKE '{run}-%'"));
        }
    }
}
