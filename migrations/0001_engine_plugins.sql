CREATE TABLE `call_costs` (
	`call_id` text NOT NULL,
	`leg_id` text NOT NULL,
	`total_micros` integer NOT NULL,
	`currency` text NOT NULL,
	`billed_sec` integer,
	`at` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `call_costs_leg` ON `call_costs` (`call_id`,`leg_id`);--> statement-breakpoint
ALTER TABLE `api_tokens` ADD `agent_id` text;--> statement-breakpoint
ALTER TABLE `calls` ADD `ended_by` text;--> statement-breakpoint
ALTER TABLE `payments` ADD `code` text;--> statement-breakpoint
ALTER TABLE `payments` ADD `stripe_status` text;--> statement-breakpoint
ALTER TABLE `payments` ADD `amount_refunded` integer;--> statement-breakpoint
ALTER TABLE `payments` ADD `stripe_updated_at` integer;