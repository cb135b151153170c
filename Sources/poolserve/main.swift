Poolserve.main()
