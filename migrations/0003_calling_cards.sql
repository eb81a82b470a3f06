CREATE TABLE `cc_accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`pin_id` integer NOT NULL,
	`batch_id` text NOT NULL,
	`currency` text NOT NULL,
	`balance` integer NOT NULL,
	`reserved` integer DEFAULT 0 NOT NULL,
	`holds` integer DEFAULT 0 NOT NULL,
	`activated_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`next_charge_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cc_accounts_pin` ON `cc_accounts` (`pin_id`);--> statement-breakpoint
CREATE INDEX `cc_accounts_next_charge` ON `cc_accounts` (`next_charge_at`);--> statement-breakpoint
CREATE TABLE `cc_caller_ids` (
	`number` text PRIMARY KEY NOT NULL,
	`pin_id` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `cc_card_calls` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`account_id` text NOT NULL,
	`batch_id` text NOT NULL,
	`currency` text NOT NULL,
	`destination` text NOT NULL,
	`prefix` text NOT NULL,
	`destination_name` text NOT NULL,
	`sell_rate` integer NOT NULL,
	`buy_rate` integer NOT NULL,
	`first_block_sec` integer NOT NULL,
	`step_sec` integer NOT NULL,
	`connect_fee` integer NOT NULL,
	`reserved_amount` integer NOT NULL,
	`status` text NOT NULL,
	`outcome` text,
	`dest_leg_id` text,
	`talk_started_at` integer,
	`ended_at` integer,
	`billable_seconds` integer DEFAULT 0 NOT NULL,
	`package_seconds` integer DEFAULT 0 NOT NULL,
	`amount` integer DEFAULT 0 NOT NULL,
	`cost_micros` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`settled_at` integer
);
--> statement-breakpoint
CREATE INDEX `cc_card_calls_account` ON `cc_card_calls` (`account_id`);--> statement-breakpoint
CREATE INDEX `cc_card_calls_ended` ON `cc_card_calls` (`ended_at`);--> statement-breakpoint
CREATE TABLE `cc_charges` (
	`id` text PRIMARY KEY NOT NULL,
	`plan_id` text NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`amount` integer NOT NULL,
	FOREIGN KEY (`plan_id`) REFERENCES `cc_plans`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `cc_ledger` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`at` integer NOT NULL,
	`amount` integer NOT NULL,
	`tax_amount` integer DEFAULT 0 NOT NULL,
	`reason` text NOT NULL,
	`note` text,
	`call_id` text,
	`balance_after` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `cc_ledger_account` ON `cc_ledger` (`account_id`,`at`);--> statement-breakpoint
CREATE TABLE `cc_package_usage` (
	`account_id` text NOT NULL,
	`package_id` text NOT NULL,
	`period` integer NOT NULL,
	`used_seconds` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cc_package_usage_key` ON `cc_package_usage` (`account_id`,`package_id`,`period`);--> statement-breakpoint
CREATE TABLE `cc_packages` (
	`id` text PRIMARY KEY NOT NULL,
	`plan_id` text NOT NULL,
	`name` text NOT NULL,
	`prefixes` text NOT NULL,
	`free_seconds` integer NOT NULL,
	FOREIGN KEY (`plan_id`) REFERENCES `cc_plans`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `cc_plans` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`currency` text NOT NULL,
	`period_unit` text NOT NULL,
	`period_count` integer NOT NULL,
	`rate_deck` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cc_plans_name_unique` ON `cc_plans` (`name`);--> statement-breakpoint
CREATE TABLE `cc_batches` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`currency` text NOT NULL,
	`face_value` integer NOT NULL,
	`pin_count` integer NOT NULL,
	`effective_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`expiry_days` integer NOT NULL,
	`taxable` integer DEFAULT false NOT NULL,
	`tax_name` text,
	`tax_rate_ppm` integer DEFAULT 0 NOT NULL,
	`plan_id` text,
	`blocked` integer DEFAULT false NOT NULL,
	`status` text DEFAULT 'empty' NOT NULL,
	`source` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`plan_id`) REFERENCES `cc_plans`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cc_batches_name_unique` ON `cc_batches` (`name`);--> statement-breakpoint
CREATE TABLE `cc_pin_failures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `cc_pin_failures_key` ON `cc_pin_failures` (`key`,`at`);--> statement-breakpoint
CREATE TABLE `cc_pin_lockouts` (
	`key` text PRIMARY KEY NOT NULL,
	`locked_until` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `cc_pins` (
	`id` integer PRIMARY KEY NOT NULL,
	`batch_id` text NOT NULL,
	`seq` integer NOT NULL,
	`pin_hash` text NOT NULL,
	`pin_enc` text NOT NULL,
	`blocked` integer DEFAULT false NOT NULL,
	`activated_at` integer,
	`account_id` text,
	FOREIGN KEY (`batch_id`) REFERENCES `cc_batches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cc_pins_hash` ON `cc_pins` (`pin_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `cc_pins_batch_seq` ON `cc_pins` (`batch_id`,`seq`);--> statement-breakpoint
CREATE TABLE `cc_deck_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`deck` text NOT NULL,
	`currency` text NOT NULL,
	`valid_from` integer NOT NULL,
	`status` text NOT NULL,
	`row_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `cc_deck_versions_deck` ON `cc_deck_versions` (`deck`,`valid_from`);--> statement-breakpoint
CREATE TABLE `cc_rates` (
	`version_id` text NOT NULL,
	`line` integer NOT NULL,
	`prefix` text NOT NULL,
	`destination` text NOT NULL,
	`sell_rate` integer NOT NULL,
	`buy_rate` integer NOT NULL,
	`first_block_sec` integer NOT NULL,
	`step_sec` integer NOT NULL,
	`connect_fee` integer NOT NULL,
	`valid_from` integer,
	`valid_to` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cc_rates_version_line` ON `cc_rates` (`version_id`,`line`);