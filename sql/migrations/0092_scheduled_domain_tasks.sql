-- 0092: the domains' cluster-wide periodic work under the scheduler (0091), beside the operations
-- tasks: one owner in the cluster runs each by its cron expression and records every run.
insert into scheduled_tasks (name, description, schedule, command, is_active) values
    ('segments.recompute', 'Recalcula por completo os membros de todos os segmentos ativos (critérios que mudam só com o tempo, como dias desde o último pedido).',
     '15 */6 * * *', 'class SegmentMembership', true),
    ('blog.publish_scheduled', 'Registra como publicados os posts agendados cuja hora chegou e limpa o cache do blog em todos os servidores (os leitores já os veem desde a hora).',
     '*/5 * * * *', 'class ScheduledPostPublisher', true)
on conflict (name) do update
    set description = excluded.description, schedule = excluded.schedule, command = excluded.command, is_active = excluded.is_active,
        next_run = null;
