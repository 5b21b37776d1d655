using System.Data;
using Dapper;
using LearnHub.Grains.Messaging;
using LearnHub.Grains.Time;
using LearnHub.Silo.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LearnHub.Silo.Messaging;

/// <summary>What one delivery pass did.</summary>
public sealed record DeliveryPass(int Claimed, int Sent, int Retrying, int Failed, int Skipped);

/// <summary>
/// Delivers the outbox. A pass claims due rows with a lease (PostgreSQL: FOR UPDATE SKIP LOCKED, so several silos
/// share the work without taking the same row), renders and sends them a few at a time, and records each outcome as
/// soon as the server accepted or refused it: a row accepted but not yet recorded when a silo dies is the only kind
/// that can be sent twice. Failures wait with doubling back-off; after the last attempt a row is marked failed with
/// the error, never dropped.
/// </summary>
public sealed class OutboxDispatcher(
    LearnHubDatabase database,
    MailComposer composer,
    IMailTransport transport,
    IOptions<MailOptions> options,
    LearnHubClock clock,
    ILogger<OutboxDispatcher> logger)
{
    // An outcome is recorded only by the silo still holding the row's lease, and only while it is queued: a silo whose
    // lease ran out (and whose row another silo took over) cannot turn a 'sent' row back into 'queued'.
    private const string Held = "leased_by = @node AND status = 'queued'";

    // One-time account links and evaluation survey links (bearer tokens whose hash alone is kept) live in a row only
    // until it is settled.
    private const string ClearLinks = "data = CASE WHEN purpose IN ('sign-in-link', 'sign-up-link', 'invitation', 'password-reset', 'evaluation-requested') THEN '{}' ELSE data END";

    /// <summary>
    /// The mail a person waits on (<see cref="MailPurposes.Awaited"/>) as SQL, written out as the partial index
    /// ix_outbox_awaited is (migration 0068), in its order: only a condition that repeats the index's own lets a planner
    /// use that index (SQLite compares the terms as written).
    /// </summary>
    public static string AwaitedCondition { get; } =
        $"purpose IN ({string.Join(", ", MailPurposes.Awaited.Select(p => $"'{p.ToWire()}'"))})";

    private readonly string _node = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>
    /// Runs one pass over the due messages; with <paramref name="awaitedOnly"/>, over the due mail a person is waiting
    /// on (<see cref="MailPurposes.Awaited"/>) and nothing else: what still goes out while delivery gives way to a burst.
    /// </summary>
    public async Task<DeliveryPass> DeliverDueAsync(CancellationToken cancellationToken, bool awaitedOnly = false)
    {
        var settings = options.Value;
        var claimed = await ClaimAsync(settings, awaitedOnly, cancellationToken);
        if (claimed.Count == 0)
        {
            return new DeliveryPass(0, 0, 0, 0, 0);
        }

        var renderers = await composer.PrepareManyAsync(claimed.Select(c => c.id).ToList(), cancellationToken);
        await using var sentLog = new SentLog(this);
        int sent = 0, retrying = 0, failed = 0, skipped = 0;
        await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = settings.Parallelism, CancellationToken = cancellationToken },
            async (row, token) =>
            {
                switch (await DeliverAsync(row, renderers[row.id], settings, sentLog, token))
                {
                    case "sent": Interlocked.Increment(ref sent); break;
                    case "retry": Interlocked.Increment(ref retrying); break;
                    case "failed": Interlocked.Increment(ref failed); break;
                    default: Interlocked.Increment(ref skipped); break;
                }
            });
        return new DeliveryPass(claimed.Count, sent, retrying, failed, skipped);
    }

    /// <summary>Delivers until nothing is due (tests and the benchmark); returns the passes' totals.</summary>
    public async Task<DeliveryPass> DrainAsync(CancellationToken cancellationToken)
    {
        var total = new DeliveryPass(0, 0, 0, 0, 0);
        while (true)
        {
            var pass = await DeliverDueAsync(cancellationToken);
            total = new DeliveryPass(total.Claimed + pass.Claimed, total.Sent + pass.Sent, total.Retrying + pass.Retrying,
                total.Failed + pass.Failed, total.Skipped + pass.Skipped);
            if (pass.Claimed == 0)
            {
                return total;
            }
        }
    }

    private async Task<List<ClaimedRow>> ClaimAsync(MailOptions settings, bool awaitedOnly, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        // During a burst this runs four times a second, and there is rarely such mail: a read from the index first, so
        // that an empty look takes no write transaction (on SQLite, the one writer slot the registrants are queueing for).
        if (awaitedOnly && !await AnyAwaitedDueAsync(now, cancellationToken))
        {
            return [];
        }

        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var skipLocked = database.Provider == DatabaseProvider.PostgreSql ? " FOR UPDATE SKIP LOCKED" : "";
        var awaited = awaitedOnly ? $" AND {AwaitedCondition}" : "";
        var rows = (await scope.Connection.QueryAsync<ClaimedRow>(new CommandDefinition(
            $"""
            UPDATE outbox_messages SET lease_until_utc_ms = @lease, leased_by = @node
            WHERE id IN (
                SELECT id FROM outbox_messages
                WHERE status = 'queued'{awaited} AND next_attempt_utc_ms <= @now AND (lease_until_utc_ms IS NULL OR lease_until_utc_ms < @now)
                ORDER BY next_attempt_utc_ms, id
                LIMIT @limit{skipLocked})
            RETURNING id, attempts, lease_until_utc_ms
            """,
            new { lease = now + (long)settings.Lease.TotalMilliseconds, node = _node, now, limit = settings.BatchSize },
            scope.Transaction, cancellationToken: cancellationToken))).ToList();
        await scope.CommitAsync(cancellationToken);
        return rows;
    }

    /// <summary>The query that finds whether any awaited mail is due (a test checks that SQLite answers it from the index).</summary>
    public static string AwaitedDueQuery { get; } =
        $"SELECT 1 FROM outbox_messages WHERE status = 'queued' AND {AwaitedCondition} AND next_attempt_utc_ms <= @now LIMIT 1";

    private async Task<bool> AnyAwaitedDueAsync(long now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(AwaitedDueQuery, new { now }, cancellationToken: cancellationToken)) is not null;
    }

    private async Task<string> DeliverAsync(ClaimedRow row, Func<Composition> render, MailOptions settings, SentLog sentLog, CancellationToken cancellationToken)
    {
        Composition composition;
        try
        {
            composition = render();
        }
        catch (PermanentMailException e)
        {
            return await RecordFailureAsync(row, settings, e.Message, permanent: true);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Rendering takes no cancellation: whatever it throws, unless the pass itself is stopping, is this row's.
            logger.LogError(e, "Composing outbox message {Id} failed", row.id);
            return await RecordFailureAsync(row, settings, $"Could not compose the message: {e.Message}", permanent: false);
        }

        if (composition.Mail is null)
        {
            await RecordAsync($"UPDATE outbox_messages SET status = 'skipped', last_error = @reason, lease_until_utc_ms = NULL, {ClearLinks} WHERE id = @id AND {Held}",
                new { row.id, reason = composition.SkipReason, node = _node }, CancellationToken.None);
            return "skipped";
        }

        // Checked after rendering, which takes its share of the lease too.
        var margin = TimeSpan.FromTicks(Math.Min(settings.Smtp.Timeout.Ticks, settings.Lease.Ticks / 4));
        if (clock.GetUtcNow() + margin >= row.LeaseUntil)
        {
            // Too little of the lease is left to finish a conversation: leave the row to whichever silo claims it next.
            return "retry";
        }

        try
        {
            await transport.SendAsync(composition.Mail, cancellationToken);
        }
        catch (PermanentMailException e)
        {
            return await RecordFailureAsync(row, settings, e.Message, permanent: true);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Delivering outbox message {Id} failed (attempt {Attempt}): {Error}", row.id, row.attempts + 1, e.Message);
            return await RecordFailureAsync(row, settings, Describe(e), permanent: false);
        }

        // The server has accepted the message: record it at once (a few at a time, in one statement), and in any case
        // while at least half of the row's lease is left: a record that waited for its batch until the lease ran out
        // would let another silo claim the row and send the message again.
        await sentLog.AddAsync(row.id, flushNow: clock.GetUtcNow() + settings.Lease / 2 >= row.LeaseUntil);
        return "sent";
    }

    private async Task RecordSentAsync(IReadOnlyList<string> ids)
    {
        var (inList, parameters) = SqlLists.Parameters("id", ids);
        parameters.Add("now", clock.GetUtcNow().ToUnixTimeMilliseconds());
        parameters.Add("node", _node);
        await RecordAsync(
            $"UPDATE outbox_messages SET status = 'sent', attempts = attempts + 1, sent_utc_ms = @now, lease_until_utc_ms = NULL, last_error = NULL, {ClearLinks} WHERE id IN ({inList}) AND {Held}",
            parameters, CancellationToken.None);
    }

    /// <summary>
    /// Accepted messages waiting to be recorded as sent: flushed every <see cref="FlushEvery"/> acceptances, once half
    /// of a row's lease has passed, and at the end of a pass. A silo killed in between repeats at most that many
    /// messages, each with its stable Message-ID.
    /// </summary>
    private sealed class SentLog(OutboxDispatcher dispatcher) : IAsyncDisposable
    {
        private const int FlushEvery = 16;
        private readonly SemaphoreSlim _gate = new(1, 1);
        private readonly List<string> _pending = [];

        public async Task AddAsync(string id, bool flushNow)
        {
            List<string>? flush = null;
            await _gate.WaitAsync();
            try
            {
                _pending.Add(id);
                if (flushNow || _pending.Count >= FlushEvery)
                {
                    flush = [.. _pending];
                    _pending.Clear();
                }
            }
            finally
            {
                _gate.Release();
            }

            if (flush is not null)
            {
                await dispatcher.RecordSentAsync(flush);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_pending.Count > 0)
            {
                await dispatcher.RecordSentAsync(_pending);
            }

            _gate.Dispose();
        }
    }

    // Outcomes are recorded even while the silo shuts down: losing the record would resend the message.
    private async Task<string> RecordFailureAsync(ClaimedRow row, MailOptions settings, string error, bool permanent)
    {
        var attempts = (int)row.attempts + 1;
        var final = permanent || attempts >= settings.MaxAttempts;
        var delay = TimeSpan.FromTicks(Math.Min(settings.MaxRetryDelay.Ticks, settings.FirstRetryDelay.Ticks * (1L << Math.Min(attempts - 1, 20))));
        await RecordAsync(
            $"UPDATE outbox_messages SET status = @status, attempts = @attempts, next_attempt_utc_ms = @next, last_error = @error, lease_until_utc_ms = NULL{(final ? $", {ClearLinks}" : "")} WHERE id = @id AND {Held}",
            new
            {
                row.id,
                node = _node,
                status = final ? "failed" : "queued",
                attempts,
                next = (clock.GetUtcNow() + delay).ToUnixTimeMilliseconds(),
                error = error.Length > 2000 ? error[..2000] : error,
            }, CancellationToken.None);
        return final ? "failed" : "retry";
    }

    private async Task RecordAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        await scope.Connection.ExecuteAsync(new CommandDefinition(sql, parameters, scope.Transaction, cancellationToken: cancellationToken));
        await scope.CommitAsync(cancellationToken);
    }

    private static string Describe(Exception e) =>
        e.InnerException is { } inner ? $"{e.GetType().Name}: {e.Message} ({inner.Message})" : $"{e.GetType().Name}: {e.Message}";

    private sealed class ClaimedRow
    {
        public string id { get; set; } = "";
        public long attempts { get; set; }
        public long lease_until_utc_ms { get; set; }

        public DateTimeOffset LeaseUntil => DateTimeOffset.FromUnixTimeMilliseconds(lease_until_utc_ms);
    }
}

/// <summary>Runs delivery passes for as long as the silo runs.</summary>
public sealed class OutboxDeliveryService(OutboxDispatcher dispatcher, LearnHubDatabase database, IOptions<MailOptions> options, ILogger<OutboxDeliveryService> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pacing = new DeliveryPacing(options.Value);
        while (!stoppingToken.IsCancellationRequested)
        {
            // Registrants first while a burst of them is on (bounded by LearnHub:Mail:BurstDeferral), but for the mail a
            // person is waiting on at the screen, which goes out within a window whatever the rate.
            var burst = pacing.Waits(database.MailQueued, Environment.TickCount64);
            DeliveryPass pass;
            try
            {
                pass = await dispatcher.DeliverDueAsync(stoppingToken, awaitedOnly: burst);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is System.Data.Common.DbException or DataException or InvalidOperationException or TimeoutException)
            {
                // The database is away: nothing is lost (the rows stay queued); try again after a pause.
                logger.LogError(e, "An outbox pass failed; retrying after {Interval}", options.Value.PollInterval);
                pass = new DeliveryPass(0, 0, 0, 0, 0);
                burst = false;
            }

            if (pass.Claimed == 0 || burst)
            {
                try
                {
                    // During a burst the next look is a window later: the burst may have ended by then.
                    await Task.Delay(burst ? TimeSpan.FromMilliseconds(DeliveryPacing.WindowMs) : options.Value.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
