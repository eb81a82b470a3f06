CREATE TABLE `secure_payments` (
	`id` text PRIMARY KEY NOT NULL,
	`call_id` text NOT NULL,
	`line_id` text NOT NULL,
	`product` text NOT NULL,
	`agent_id` text,
	`agent_name` text,
	`item` text NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`status` text NOT NULL,
	`reason` text,
	`decline_code` text,
	`payment_id` text,
	`card_brand` text,
	`card_last4` text,
	`left_by` text,
	`stopped_at` text,
	`steps_completed` integer DEFAULT 0 NOT NULL,
	`requested_by` text NOT NULL,
	`requested_at` integer NOT NULL,
	`finished_at` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `secure_payments_finished_idx` ON `secure_payments` (`finished_at`);--> statement-breakpoint
CREATE INDEX `secure_payments_agent_idx` ON `secure_payments` (`agent_id`,`finished_at`);--> statement-breakpoint
CREATE INDEX `secure_payments_line_idx` ON `secure_payments` (`line_id`,`finished_at`);--> statement-breakpoint
CREATE INDEX `secure_payments_call_idx` ON `secure_payments` (`call_id`);