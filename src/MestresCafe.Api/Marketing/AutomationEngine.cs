using System.Text.Json;
using System.Text.Json.Nodes;
using MestresCafe.Api.Mail;
using MestresCafe.Coupons;
using MestresCafe.Data.Mail;
using MestresCafe.Data.Marketing;
using MestresCafe.Data.Privacy;
using MestresCafe.Data.Reporting;
using MestresCafe.Marketing;
using MestresCafe.Privacy;
using MestresCafe.Scheduling;
using Microsoft.Extensions.Logging;

namespace MestresCafe.Api.Marketing;

/// <summary>
/// Runs the marketing automations (scheduled task <see cref="TaskName"/>, every minute, one owner
/// in the cluster): starts one execution per new trigger occurrence of each active automation, for
/// customers with e-mail marketing consent, then takes every due step. Each step is one transaction
/// on the execution's locked row (<see cref="ClaimedExecution"/>), so two servers never take the same
/// step and a crash mid-step leaves it to be taken again whole; a wait is the row's due time, so a
/// restart loses nothing. Before each step the rules (<see cref="AutomationWorkflow"/>) look at the
/// facts again: consent (<see cref="MarketingConsentStore"/>), orders since the trigger, the cart.
/// Time comes from the <see cref="TimeProvider"/>, so tests move it.
/// </summary>
public sealed class AutomationEngine(
    AutomationExecutionStore executions,
    AutomationTriggerQuery triggers,
    MarketingConsentStore consents,
    IGrainFactory grains,
    TimeProvider time,
    ILogger<AutomationEngine> logger) : IScheduledTask
{
    public const string TaskName = "marketing.automations";

    /// <summary>Steps taken in one run at most, so a backlog is worked through over several runs rather than one long one.</summary>
    public const int MaxStepsPerRun = 1000;

    private static readonly TimeZoneInfo StoreZone = TimeZoneInfo.FindSystemTimeZoneById(ReportRange.DefaultTimeZone);

    /// <summary>Returns the executions started plus the steps taken.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var done = await StartOccurrencesAsync(now, cancellationToken);
        for (var steps = 0; steps < MaxStepsPerRun && await StepOnceAsync(now, cancellationToken); steps++)
        {
            done++;
        }

        return done;
    }

    private async Task<int> StartOccurrencesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var started = 0;
        foreach (var automation in await executions.ActiveAsync(cancellationToken))
        {
            var (definition, errors) = AutomationDefinitionParser.Parse(automation.TriggerType, automation.TriggerConditions, automation.ActionSequence);
            if (definition is null)
            {
                logger.LogWarning("Automation {Automation} cannot run: {Errors}", automation.Id, string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value[0]}")));
                continue;
            }

            var occurrences = (await triggers.CandidatesAsync(definition.Trigger, definition.Conditions, automation.ActivatedAt, now, cancellationToken))
                .Select(fact => (fact.UserId, Occurrence: AutomationTriggerQuery.Occurrence(definition.Trigger, definition.Conditions, fact, automation.ActivatedAt, now, StoreZone)))
                .Where(o => o.Occurrence is not null)
                .ToList();
            var consenting = await consents.GrantedAsync(MarketingConsent.EmailMarketing, occurrences.Select(o => o.UserId).ToHashSet(), cancellationToken);
            foreach (var (userId, occurrence) in occurrences)
            {
                if (consenting.Contains(userId) && await executions.StartAsync(automation.Id, occurrence!, automation.ActionSequence, now, cancellationToken))
                {
                    started++;
                }
            }
        }

        return started;
    }

    private async Task<bool> HasConsentAsync(long userId, CancellationToken cancellationToken) =>
        (await consents.CurrentAsync(userId, cancellationToken)).Any(c => c.Purpose == MarketingConsent.EmailMarketing && c.Granted);

    /// <summary>Takes the step of one due execution; false when none is due.</summary>
    private async Task<bool> StepOnceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var claim = await executions.ClaimDueAsync(now, cancellationToken);
        if (claim is null)
        {
            return false;
        }

        var execution = claim.Execution;
        var (definition, errors) = AutomationDefinitionParser.Parse(execution.TriggerType, execution.TriggerConditions, execution.Sequence);
        if (definition is null)
        {
            await claim.FinishAsync("failed", null, "The automation no longer reads: " + string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value[0]}")), now, cancellationToken);
            await claim.CommitAsync(cancellationToken);
            return true;
        }

        var (ordered, cartItems) = await claim.FactsAsync(cancellationToken);
        var facts = new ExecutionFacts(await HasConsentAsync(execution.UserId, cancellationToken), ordered, cartItems);
        try
        {
            switch (AutomationWorkflow.Next(definition, execution.StepIndex, facts))
            {
                case AutomationDecision.Run run:
                    await TakeStepAsync(claim, run, now, cancellationToken);
                    break;
                case AutomationDecision.Stop stop:
                    await claim.FinishAsync("cancelled", stop.Reason.ToSnakeCase(), null, now, cancellationToken);
                    break;
                default:
                    await claim.FinishAsync("completed", null, null, now, cancellationToken);
                    break;
            }
        }
        catch (CouponDefinitionException error)
        {
            // A step that can never succeed fails its execution rather than blocking the queue; a
            // database or cluster error propagates and the scheduler's retry takes the step again.
            logger.LogError(error, "Automation execution {Execution} failed at step {Step}", execution.Id, execution.StepIndex);
            await claim.FinishAsync("failed", null, $"Step {execution.StepIndex}: {error.Message}", now, cancellationToken);
        }

        await claim.CommitAsync(cancellationToken);
        return true;
    }

    private async Task TakeStepAsync(ClaimedExecution claim, AutomationDecision.Run run, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var execution = claim.Execution;
        var vars = JsonNode.Parse(execution.Vars.GetRawText()) as JsonObject ?? [];
        var next = AutomationWorkflow.NextDueAt(run.Step, now);
        switch (run.Step)
        {
            case WaitStep:
                await claim.RecordStepAsync(run.Step.Action, new { until = next }, now, next, Json(vars), emailSent: false, cancellationToken);
                break;
            case SendEmailStep send:
                var messageId = OutboundMessageIds.For(StepEventId(execution.Id, run.StepIndex), send.Template);
                await claim.EnqueueEmailAsync(messageId, send.Template, await MessageDataAsync(claim, vars, cancellationToken), cancellationToken);
                await claim.RecordStepAsync(run.Step.Action, new { template = send.Template, messageId }, now, next, Json(vars), emailSent: true, cancellationToken);
                break;
            case IssueCouponStep issue:
                // The code is fixed by execution and step: taking the step again redefines the same coupon.
                var code = AutomationWorkflow.CouponCode(execution.Id, run.StepIndex);
                var coupon = AutomationWorkflow.Coupon(issue, execution.UserId, execution.AutomationName, now);
                await grains.GetGrain<ICouponGrain>(code).DefineAsync(coupon);
                vars["coupon"] = new JsonObject
                {
                    ["code"] = code, ["type"] = issue.Type.ToSnakeCase(), ["value"] = issue.Value, ["expires_at"] = coupon.ExpiresAt,
                };
                await claim.RecordStepAsync(run.Step.Action, new { code }, now, next, Json(vars), emailSent: false, cancellationToken);
                break;
            case AddToGroupStep add:
                await claim.AddToGroupAsync(add.GroupId, cancellationToken);
                await claim.RecordStepAsync(run.Step.Action, new { groupId = add.GroupId }, now, next, Json(vars), emailSent: false, cancellationToken);
                break;
            case NotifyStaffStep notify:
                await claim.NotifyStaffAsync(MailTemplatesAdminApi.Permission, $"Automação {execution.AutomationName}", notify.Message,
                    new { automationId = execution.AutomationId, executionId = execution.Id, customerId = execution.CustomerId }, cancellationToken);
                await claim.RecordStepAsync(run.Step.Action, new { notified = MailTemplatesAdminApi.Permission }, now, next, Json(vars), emailSent: false, cancellationToken);
                break;
        }
    }

    /// <summary>The e-mail's data: what earlier steps left (the coupon) and the trigger's facts now (the unsubscribe link is the composer's, as for every marketing e-mail).</summary>
    private async Task<string> MessageDataAsync(ClaimedExecution claim, JsonObject vars, CancellationToken cancellationToken)
    {
        var execution = claim.Execution;
        var data = (JsonObject)vars.DeepClone();
        if (SnakeCaseNames.TryParse<AutomationTrigger>(execution.TriggerType, out var trigger) && trigger == AutomationTrigger.CartAbandoned)
        {
            var lines = await claim.CartAsync(cancellationToken);
            data["cart"] = new JsonObject
            {
                ["items"] = new JsonArray(lines.Select(l => (JsonNode)new JsonObject { ["name"] = l.Name, ["quantity"] = l.Quantity, ["total"] = l.Total }).ToArray()),
                ["total"] = lines.Sum(l => l.Total),
            };
        }

        if (AutomationTriggerRules.BackInStockRequest(execution.OccurrenceKey) is { } request
            && await claim.RequestedProductAsync(request, cancellationToken) is { } product)
        {
            data["product"] = new JsonObject { ["name"] = product.Name, ["slug"] = product.Slug };
        }

        return data.ToJsonString();
    }

    private static JsonElement Json(JsonObject vars) => JsonSerializer.SerializeToElement(vars);

    /// <summary>The event id of an execution's step, from which its message id is derived (marked so it never equals a user's once-in-a-life id).</summary>
    private static Guid StepEventId(long executionId, int stepIndex) => new(stepIndex, 0x4155, 0x544F, BitConverter.GetBytes(executionId));
}
