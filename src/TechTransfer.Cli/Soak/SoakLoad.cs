using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using TechTransfer.PushBench;
using TechTransfer.Storage;

namespace TechTransfer.Soak;

/// <summary>
/// The soak's writers: an open loop of R writes a second spread over the hosts. A write is the next step of a
/// listing in progress (create → edit → publish) or, when none is waiting, a new listing's create. Every write
/// carries an Idempotency-Key and is retried with the same key, as a real client retries: on a refused connection
/// at the next host (the load generator plays the load balancer), on 5xx/429 or a timeout after a short pause,
/// for at most <see cref="RetryFor"/>. The ledger keeps what each listing's owner was told (acknowledged).
/// </summary>
public sealed class SoakLoad(IReadOnlyList<Uri> hosts, BenchNetwork network, Corpus corpus)
{
    static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    // Longer than the server's Idempotency-Key lease (2 min): a request lost with a killed host keeps its key
    // "running" (409 + Retry-After) until the lease ends, and only then may the retry run it again.
    static readonly TimeSpan RetryFor = TimeSpan.FromSeconds(180);
    const int MaxInFlight = 1500;
    const int DemandEvery = 10; // one listing in ten is an enterprise's demand, the others universities' achievements

    /// <summary>One listing and what its owner was acknowledged.</summary>
    public sealed class Listing(int index, bool demand, BenchNetwork.Organization owner, string word)
    {
        public int Index => index;
        public bool IsDemand => demand;
        public BenchNetwork.Organization Owner => owner;
        /// <summary>A word of this listing alone, in its title: searching it must find the listing.</summary>
        public string Word => word;
        public string Path => IsDemand ? "/api/demands" : "/api/achievements";
        public string? Id { get; set; }
        public int Step { get; set; } // 0 create, 1 edit, 2 publish, 3 done
        public int Version { get; set; }
        public string CreatedTitle { get; set; } = "";
        public string EditedTitle { get; set; } = "";
        /// <summary>The last step that got a 2xx: 0 none, 1 created, 2 edited, 3 published.</summary>
        public int Acknowledged { get; set; }
        public int AcknowledgedVersion { get; set; }
    }

    /// <summary>One HTTP attempt: when it ended (seconds since the load started), how long it took, and its status (0: no answer).</summary>
    public readonly record struct Attempt(double At, double Ms, int Status, int Host);

    readonly HttpClient http = new(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = 256, ConnectTimeout = TimeSpan.FromSeconds(3) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };
    readonly ConcurrentQueue<Listing> waiting = new();
    readonly ConcurrentBag<Listing> listings = [];
    readonly long[] downUntil = new long[hosts.Count];
    readonly Stopwatch clock = new();
    int created, inFlight, skipped, gaveUp, tried, editsResolvedByRead;

    public ConcurrentQueue<Attempt> Attempts { get; } = new();

    public IReadOnlyCollection<Listing> Listings => listings;

    public double Now => clock.Elapsed.TotalSeconds;

    public int Tried => tried;

    /// <summary>Writes not sent because <see cref="MaxInFlight"/> were still waiting for an answer.</summary>
    public int Skipped => skipped;

    /// <summary>Writes still not acknowledged after <see cref="RetryFor"/> (or refused for good): not acknowledged, not counted as lost.</summary>
    public int GaveUp => gaveUp;

    public int Writes { get; private set; }

    /// <summary>Retried edits answered 412 because their first attempt had landed (PUT carries no Idempotency-Key).</summary>
    public int EditsResolvedByRead => editsResolvedByRead;

    public void Start() => clock.Start();

    /// <summary>Runs the open loop until <paramref name="stop"/>, then waits for the writes still in flight.</summary>
    public async Task RunAsync(int rate, CancellationToken stop, Action<int> onSecond)
    {
        var started = Stopwatch.GetTimestamp();
        var running = new ConcurrentDictionary<Task, bool>();
        var lastSecond = -1;
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var due = started + (long)i * Stopwatch.Frequency / rate;
            var wait = due - Stopwatch.GetTimestamp();
            if (wait > 0) await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
            var second = (int)Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (second != lastSecond) onSecond(lastSecond = second);
            if (Volatile.Read(ref inFlight) >= MaxInFlight)
            {
                Interlocked.Increment(ref skipped);
                continue;
            }
            var listing = waiting.TryDequeue(out var next) ? next : NewListing();
            Interlocked.Increment(ref inFlight);
            Writes++;
            var task = Task.Run(async () =>
            {
                try
                {
                    if (await StepAsync(listing) && listing.Step < 3) waiting.Enqueue(listing);
                }
                finally
                {
                    Interlocked.Decrement(ref inFlight);
                }
            });
            running[task] = true;
            _ = task.ContinueWith(t => running.TryRemove(t, out _), TaskScheduler.Default);
        }
        await Task.WhenAll(running.Keys);
    }

    Listing NewListing()
    {
        var index = Interlocked.Increment(ref created) - 1;
        var demand = index % DemandEvery == DemandEvery - 1;
        var owners = network.Organizations.Where(o => o.Enterprise == demand).ToList();
        var listing = new Listing(index, demand, owners[index % owners.Count], WordOf(index));
        listings.Add(listing);
        return listing;
    }

    /// <summary>"zzs" and six letters: a Latin word the analyzer keeps whole, found in no other listing.</summary>
    static string WordOf(int index)
    {
        var letters = new char[6];
        for (var i = 5; i >= 0; i--, index /= 26) letters[i] = (char)('a' + index % 26);
        return "zzs" + new string(letters);
    }

    async Task<bool> StepAsync(Listing listing)
    {
        var token = listing.Owner.Admin.Token;
        switch (listing.Step)
        {
            case 0:
                {
                    var body = Body(listing, edited: false);
                    var (ok, json, version) = await WriteAsync(HttpMethod.Post, listing.Path, token, body, null, listing.Index);
                    if (!ok) return false;
                    listing.Id = json.GetProperty("id").GetString();
                    (listing.Version, listing.Acknowledged, listing.AcknowledgedVersion, listing.Step) = (version, 1, version, 1);
                    return true;
                }
            case 1:
                {
                    var (ok, _, version) = await WriteAsync(HttpMethod.Put, $"{listing.Path}/{listing.Id}", token, Body(listing, edited: true),
                        listing.Version, listing.Index);
                    if (!ok && version == -1 && await ReadAsync($"{listing.Path}/{listing.Id}", token, listing.Index) is { } current
                        && current.GetProperty("title").GetString() == listing.EditedTitle)
                        (ok, version) = (true, current.GetProperty("version").GetInt32());
                    if (!ok) return false;
                    (listing.Version, listing.Acknowledged, listing.AcknowledgedVersion, listing.Step) = (version, 2, version, 2);
                    return true;
                }
            default:
                {
                    var (ok, _, version) = await WriteAsync(HttpMethod.Post, $"{listing.Path}/{listing.Id}/publish", token, null, null, listing.Index);
                    if (!ok) return false;
                    (listing.Version, listing.Acknowledged, listing.AcknowledgedVersion, listing.Step) = (version, 3, version, 3);
                    return true;
                }
        }
    }

    object Body(Listing listing, bool edited)
    {
        var random = new Random(listing.Index * 2 + (edited ? 1 : 0));
        if (listing.IsDemand)
        {
            var text = corpus.Demand(random);
            var title = $"{text.Title}（{listing.Word}）{(edited ? " 修订" : "")}";
            if (edited) listing.EditedTitle = title; else listing.CreatedTitle = title;
            return new
            {
                title,
                description = text.Body,
                keywords = text.Keywords,
                techField = text.TechField,
                minTrl = 4,
                budgetMin = 100,
                budgetMax = 800,
                province = listing.Owner.Province,
                deadline = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(3).ToString("yyyy-MM-dd"),
                contact = new { name = "压测联系人", phone = "010-12345678" },
            };
        }
        // An achievement made to fit one bench enterprise's open demand: every publish has a known match to push.
        var demand = network.Demands[listing.Index % network.Demands.Count];
        var achievement = corpus.Achievement(random);
        var name = $"{demand.Word} {listing.Word} {achievement.Title}{(edited ? " 修订" : "")}";
        if (edited) listing.EditedTitle = name; else listing.CreatedTitle = name;
        return BenchNetwork.AchievementFor(listing.Owner.Province, demand, achievement, name);
    }

    /// <summary>
    /// One write until it is acknowledged or given up; the same Idempotency-Key on every attempt. Returns the body
    /// and the version (ETag) of the acknowledged answer.
    /// </summary>
    async Task<(bool Ok, JsonElement Body, int Version)> WriteAsync(HttpMethod method, string path, string token, object? body, int? ifMatch, int preferred)
    {
        var key = Guid.NewGuid().ToString("N");
        var since = Stopwatch.StartNew();
        var host = preferred % hosts.Count;
        for (var attempt = 0; ; attempt++)
        {
            host = LiveHost(host);
            using var request = new HttpRequestMessage(method, new Uri(hosts[host], path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Add("Idempotency-Key", key);
            if (ifMatch is { } version) request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{version}\""));
            if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: TechTransferJson.Options);
            var started = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref tried);
            TimeSpan pause;
            try
            {
                using var timeout = new CancellationTokenSource(RequestTimeout);
                using var response = await http.SendAsync(request, timeout.Token);
                var text = await response.Content.ReadAsStringAsync(timeout.Token);
                Record(started, (int)response.StatusCode, host);
                if (response.IsSuccessStatusCode)
                {
                    var tag = response.Headers.ETag?.Tag.Trim('"');
                    return (true, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), int.TryParse(tag, out var v) ? v : 0);
                }
                var status = (int)response.StatusCode;
                // 409 + Retry-After: the first attempt with this key still runs (or ran on a host that died mid-request).
                var retry = status is 429 or >= 500 || (status == 409 && response.Headers.RetryAfter is not null);
                if (status == 412 && attempt > 0 && method == HttpMethod.Put)
                {
                    // PUT has no Idempotency-Key: a retried edit whose first attempt landed meets its own new version.
                    // The client re-reads, as a real one would; the edit counts only if the listing holds it.
                    Interlocked.Increment(ref editsResolvedByRead);
                    return (false, default, -1);
                }
                if (!retry)
                {
                    if (Volatile.Read(ref gaveUp) < 5) Console.Error.WriteLine($"soak: {method} {path} refused: {status} {text[..Math.Min(300, text.Length)]}");
                    return GiveUp();
                }
                // Retry-After is honoured up to 5 s: a lease may have ended early (the first attempt answered meanwhile).
                var after = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromMilliseconds(Math.Min(2000, 200 * (attempt + 1)));
                pause = after < TimeSpan.FromSeconds(5) ? after : TimeSpan.FromSeconds(5);
            }
            catch (HttpRequestException)
            {
                // Nobody listening there: that host is down; the next attempt goes to another one at once.
                Record(started, 0, host);
                Volatile.Write(ref downUntil[host], Stopwatch.GetTimestamp() + 2 * Stopwatch.Frequency);
                host = (host + 1) % hosts.Count;
                // Every host refusing (the cluster restarting): back off, or the retries alone saturate the machine.
                pause = attempt < hosts.Count ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Min(2000, 250 * attempt));
            }
            catch (OperationCanceledException)
            {
                Record(started, -1, host); // no answer within the request timeout
                host = (host + 1) % hosts.Count;
                pause = TimeSpan.Zero;
            }
            if (since.Elapsed > RetryFor) return GiveUp();
            if (pause > TimeSpan.Zero) await Task.Delay(pause);
        }

        (bool, JsonElement, int) GiveUp()
        {
            Interlocked.Increment(ref gaveUp);
            return (false, default, 0);
        }
    }

    int LiveHost(int from)
    {
        var now = Stopwatch.GetTimestamp();
        for (var i = 0; i < hosts.Count; i++)
        {
            var h = (from + i) % hosts.Count;
            if (Volatile.Read(ref downUntil[h]) <= now) return h;
        }
        return from;
    }

    void Record(long started, int status, int host) =>
        Attempts.Enqueue(new Attempt(Now, Stopwatch.GetElapsedTime(started).TotalMilliseconds, status, host));

    /// <summary>A GET as <paramref name="token"/>'s holder at any host that answers (verification), null on 404.</summary>
    public async Task<JsonElement?> ReadAsync(string path, string token, int preferred)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var host = (preferred + attempt) % hosts.Count;
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(hosts[host], path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            try
            {
                using var timeout = new CancellationTokenSource(RequestTimeout);
                using var response = await http.SendAsync(request, timeout.Token);
                if (response.StatusCode == HttpStatusCode.NotFound) return null;
                if (response.IsSuccessStatusCode) return await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
            }
            await Task.Delay(500);
        }
        throw new Commands.CommandException($"GET {path} failed 20 times");
    }
}
