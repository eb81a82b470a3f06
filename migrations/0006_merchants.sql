CREATE TABLE `merchants` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`email` text,
	`country` text NOT NULL,
	`stripe_account_id` text NOT NULL,
	`details_submitted` integer DEFAULT false NOT NULL,
	`charges_enabled` integer DEFAULT false NOT NULL,
	`payouts_enabled` integer DEFAULT false NOT NULL,
	`stripe_updated_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `merchants_stripe_account_unique` ON `merchants` (`stripe_account_id`);--> statement-breakpoint
ALTER TABLE `calls` ADD `merchant_id` text;--> statement-breakpoint
ALTER TABLE `calls` ADD `application_fee` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `calls_merchant_ended_idx` ON `calls` (`merchant_id`,`ended_at`);--> statement-breakpoint
ALTER TABLE `lines` ADD `merchant_id` text REFERENCES merchants(id);--> statement-breakpoint
CREATE INDEX `lines_merchant_idx` ON `lines` (`merchant_id`);