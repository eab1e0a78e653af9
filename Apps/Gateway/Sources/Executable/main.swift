import ShareGateway

await GatewayCommand.main()
