CREATE TABLE `address_directory` (
	`number` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`street` text,
	`postal_code` text,
	`city` text,
	`secret` integer DEFAULT false NOT NULL,
	`imported_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `articles` (
	`id` text PRIMARY KEY NOT NULL,
	`price_list_id` text NOT NULL,
	`art_nr` text NOT NULL,
	`description` text NOT NULL,
	`unit_price` integer NOT NULL,
	`unit` text NOT NULL,
	`vat_rate_bp` integer DEFAULT 2500 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`price_list_id`) REFERENCES `price_lists`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `articles_list_artnr` ON `articles` (`price_list_id`,`art_nr`);--> statement-breakpoint
CREATE TABLE `blacklist` (
	`id` text PRIMARY KEY NOT NULL,
	`number` text,
	`customer_id` text,
	`category` text NOT NULL,
	`prompt` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`lifted_by` text,
	`lifted_at` integer
);
--> statement-breakpoint
CREATE INDEX `blacklist_number` ON `blacklist` (`number`);--> statement-breakpoint
CREATE INDEX `blacklist_customer` ON `blacklist` (`customer_id`);--> statement-breakpoint
CREATE TABLE `code_failures` (
	`id` text PRIMARY KEY NOT NULL,
	`number` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `code_failures_number` ON `code_failures` (`number`,`at`);--> statement-breakpoint
CREATE TABLE `credit_reservations` (
	`id` text PRIMARY KEY NOT NULL,
	`call_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`amount` integer NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `credit_reservations_customer` ON `credit_reservations` (`customer_id`,`status`);--> statement-breakpoint
CREATE INDEX `credit_reservations_call` ON `credit_reservations` (`call_id`);--> statement-breakpoint
CREATE TABLE `customer_changes` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`field` text NOT NULL,
	`old_value` text,
	`new_value` text,
	`actor` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `customer_changes_customer` ON `customer_changes` (`customer_id`,`at`);--> statement-breakpoint
CREATE TABLE `customer_notes` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`text` text NOT NULL,
	`author` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `customer_notes_customer` ON `customer_notes` (`customer_id`,`at`);--> statement-breakpoint
CREATE TABLE `customer_numbers` (
	`number` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `customer_numbers_customer` ON `customer_numbers` (`customer_id`);--> statement-breakpoint
CREATE TABLE `customers` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`street` text,
	`postal_code` text,
	`city` text,
	`country` text DEFAULT 'SE' NOT NULL,
	`email` text,
	`status` text DEFAULT 'active' NOT NULL,
	`credit_limit` integer NOT NULL,
	`open_balance` integer DEFAULT 0 NOT NULL,
	`price_list_id` text,
	`discount_bp` integer DEFAULT 0 NOT NULL,
	`price_per_minute` integer,
	`code_hash` text,
	`line_id` text,
	`paid_invoices` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`price_list_id`) REFERENCES `price_lists`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `customers_name` ON `customers` (`name`);--> statement-breakpoint
CREATE UNIQUE INDEX `customers_code` ON `customers` (`code_hash`);--> statement-breakpoint
CREATE TABLE `invoice_lines` (
	`id` text PRIMARY KEY NOT NULL,
	`invoice_id` text NOT NULL,
	`seq` integer NOT NULL,
	`description` text NOT NULL,
	`quantity_milli` integer NOT NULL,
	`unit_price` integer NOT NULL,
	`amount` integer NOT NULL,
	`vat_rate_bp` integer NOT NULL,
	`order_id` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoice_lines_seq` ON `invoice_lines` (`invoice_id`,`seq`);--> statement-breakpoint
CREATE TABLE `invoices` (
	`id` text PRIMARY KEY NOT NULL,
	`series` text NOT NULL,
	`number` integer NOT NULL,
	`kind` text DEFAULT 'invoice' NOT NULL,
	`credits_invoice_id` text,
	`customer_id` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`ocr` text NOT NULL,
	`currency` text DEFAULT 'sek' NOT NULL,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	`due_at` integer,
	`paid_at` integer,
	`paid_amount` integer,
	`payment_reference` text,
	`note` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_series_number` ON `invoices` (`series`,`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_ocr` ON `invoices` (`ocr`);--> statement-breakpoint
CREATE INDEX `invoices_customer` ON `invoices` (`customer_id`,`status`);--> statement-breakpoint
CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`line_id` text NOT NULL,
	`talk_seconds` integer NOT NULL,
	`billable_seconds` integer NOT NULL,
	`article_nr` text NOT NULL,
	`price_per_minute` integer NOT NULL,
	`extras` integer DEFAULT 0 NOT NULL,
	`amount` integer NOT NULL,
	`currency` text DEFAULT 'sek' NOT NULL,
	`vat_rate_bp` integer NOT NULL,
	`invoice_id` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `orders_customer` ON `orders` (`customer_id`,`invoice_id`);--> statement-breakpoint
CREATE INDEX `orders_at` ON `orders` (`at`);--> statement-breakpoint
CREATE TABLE `price_lists` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`currency` text DEFAULT 'sek' NOT NULL,
	`is_basic` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
